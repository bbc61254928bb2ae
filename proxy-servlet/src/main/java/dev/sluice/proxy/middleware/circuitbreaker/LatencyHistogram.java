package dev.sluice.proxy.middleware.circuitbreaker;

import java.util.Arrays;

/**
 * Counts of latencies in microseconds, in slots of fixed size: exact below 64 µs, then 32 slots
 * per power of two (within about 3%, as oxy's HDR histogram with two significant figures), up to
 * about 36 minutes (longer ones count as that). 896 ints, whatever the traffic.
 */
final class LatencyHistogram {
    private static final int LINEAR = 64;
    private static final int SUB = 32;
    private static final int SUB_BITS = 5;
    /** Powers of two from 2^6 to 2^31 µs. */
    private static final int SLOTS = LINEAR + (31 - 6 + 1) * SUB;

    private final int[] counts = new int[SLOTS];

    void record(long micros) {
        counts[slot(Math.max(0, micros))]++;
    }

    void clear() {
        Arrays.fill(counts, 0);
    }

    void addTo(long[] totals) {
        for (int i = 0; i < SLOTS; i++) {
            totals[i] += counts[i];
        }
    }

    static long[] newTotals() {
        return new long[SLOTS];
    }

    static int slot(long micros) {
        if (micros < LINEAR) {
            return (int) micros;
        }
        int exponent = Math.min(31, 63 - Long.numberOfLeadingZeros(micros));
        if (exponent == 31 && micros >= (1L << 32)) {
            return SLOTS - 1;
        }
        int sub = (int) (micros >>> (exponent - SUB_BITS)) & (SUB - 1);
        return LINEAR + (exponent - 6) * SUB + sub;
    }

    /** The largest latency that falls in {@code slot}, so that a quantile never reads low. */
    static long highest(int slot) {
        if (slot < LINEAR) {
            return slot;
        }
        int exponent = 6 + (slot - LINEAR) / SUB;
        int sub = (slot - LINEAR) % SUB;
        long width = 1L << (exponent - SUB_BITS);
        return (1L << exponent) + (sub + 1) * width - 1;
    }

    /** The latency below which {@code percent}% of {@code totals} fall, in microseconds; 0 when empty. */
    static long atPercentile(long[] totals, double percent) {
        long count = 0;
        for (long c : totals) {
            count += c;
        }
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percent / 100.0 * count));
        long seen = 0;
        for (int i = 0; i < totals.length; i++) {
            seen += totals[i];
            if (seen >= rank) {
                return highest(i);
            }
        }
        return highest(totals.length - 1);
    }
}
