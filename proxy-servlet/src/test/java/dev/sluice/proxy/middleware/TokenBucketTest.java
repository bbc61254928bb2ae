package dev.sluice.proxy.middleware;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private static final long MS = 1_000_000L;

    @Test
    void burstThenOneTokenPerInterval() {
        // 10 a second, burst 3: three at once, then one every 100 ms.
        TokenBucket bucket = new TokenBucket(10, 3, 0);
        assertEquals(0, bucket.reserve(0, 0));
        assertEquals(0, bucket.reserve(0, 0));
        assertEquals(0, bucket.reserve(0, 0));
        assertEquals(100 * MS, bucket.reserve(0, 0), "the fourth must wait a full interval");
        assertEquals(100 * MS, bucket.reserve(0, 0), "a refused request took nothing");
        assertEquals(0, bucket.reserve(100 * MS, 0));
        assertEquals(60 * MS, bucket.reserve(140 * MS, 0));
    }

    @Test
    void aShortWaitTakesTheTokenInAdvance() {
        TokenBucket bucket = new TokenBucket(10, 1, 0);
        assertEquals(0, bucket.reserve(0, 50 * MS));
        assertEquals(40 * MS, bucket.reserve(60 * MS, 50 * MS), "taken: the bucket goes below zero");
        assertEquals(140 * MS, bucket.reserve(60 * MS, 50 * MS), "the next waits for that one too");
        assertEquals(0, bucket.reserve(100 * MS + 100 * MS, 0), "after both intervals a token is there");
    }

    @Test
    void neverHoldsMoreThanBurst() {
        TokenBucket bucket = new TokenBucket(1000, 2, 0);
        long later = 3_600_000 * MS;
        assertEquals(0, bucket.reserve(later, 0));
        assertEquals(0, bucket.reserve(later, 0));
        assertEquals(MS, bucket.reserve(later, 0));
    }

    @Test
    void traefiksMaxDelay() {
        assertEquals(500 * MS, RateLimit.maxDelay(0.5), "below one a second: 500 ms");
        assertEquals(500 * MS, RateLimit.maxDelay(1));
        assertEquals(500 * MS, RateLimit.maxDelay(1.9), "the rate is truncated to a whole number, as Go does");
        assertEquals(50 * MS, RateLimit.maxDelay(10));
        assertEquals(5 * MS, RateLimit.maxDelay(100));
    }
}
