package dev.sluice.proxy.balance;

/** 64-bit hashing of strings without allocating: FNV-1a over the chars, then a strong bit mixer. */
final class Hashing {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Hashing() {}

    static long hash(CharSequence s) {
        return hash(FNV_OFFSET, s);
    }

    /** Continues a hash with more text, e.g. key then endpoint id, without concatenating them. */
    static long hash(long seed, CharSequence s) {
        long h = seed;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            h = (h ^ (c & 0xFF)) * FNV_PRIME;
            h = (h ^ (c >>> 8)) * FNV_PRIME;
        }
        return mix(h);
    }

    /** Murmur3's finalizer: FNV alone clusters similar keys (IPs differing in one digit). */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    /** Maps a hash to a double in (0, 1), never 0 so that its logarithm is finite. */
    static double unit(long h) {
        return ((h >>> 11) + 0.5) / (double) (1L << 53);
    }
}
