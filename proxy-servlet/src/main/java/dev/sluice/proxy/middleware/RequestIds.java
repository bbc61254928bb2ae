package dev.sluice.proxy.middleware;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.function.Supplier;

/** Fresh request ids: UUID version 7 (RFC 9562: Unix milliseconds, then randomness) or nanoid. */
final class RequestIds {
    private static final char[] NANOID_ALPHABET = "_-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private RequestIds() {}

    static Supplier<String> of(String algorithm, int size) {
        return "nanoid".equals(algorithm) ? () -> nanoid(size) : () -> uuidV7(System.currentTimeMillis()).toString();
    }

    /** 48 bits of {@code epochMillis}, version 7, 12 random bits, variant 10, 62 random bits. */
    static UUID uuidV7(long epochMillis) {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        long randA = ((random[0] & 0xFFL) << 8 | (random[1] & 0xFFL)) & 0x0FFF;
        long randB = 0;
        for (int i = 2; i < 10; i++) {
            randB = randB << 8 | (random[i] & 0xFFL);
        }
        long most = (epochMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | randA;
        long least = randB & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(most, least);
    }

    /** {@code size} characters of the URL-safe 64-letter alphabet; 64 divides 256, so no letter is favoured. */
    static String nanoid(int size) {
        byte[] random = new byte[size];
        RANDOM.nextBytes(random);
        char[] id = new char[size];
        for (int i = 0; i < size; i++) {
            id[i] = NANOID_ALPHABET[random[i] & 63];
        }
        return new String(id);
    }
}
