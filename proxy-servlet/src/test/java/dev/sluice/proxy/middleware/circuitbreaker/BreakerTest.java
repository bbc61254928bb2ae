package dev.sluice.proxy.middleware.circuitbreaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.middleware.circuitbreaker.Breaker.State;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The state machine on a clock the test moves. */
class BreakerTest {
    private static final long MS = 1_000_000L;
    private long now = 1_000_000 * MS;

    private Breaker breaker(String expression) {
        return new Breaker(Expression.parse(expression), Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ofSeconds(10),
                () -> now);
    }

    @Test
    void tripsOnTheExpressionAndAnswersFallbackUntilFallbackDurationEnds() {
        Breaker breaker = breaker("ResponseCodeRatio(500, 600, 0, 600) > 0.5");
        assertTrue(breaker.allow());
        breaker.record(200, MS);
        assertEquals(State.CLOSED, breaker.state());
        now += 200 * MS;
        breaker.record(500, MS);
        breaker.record(500, MS); // checked at most once per checkPeriod: not yet
        assertEquals(State.CLOSED, breaker.state(), "1 of 2 failed at the check: not above 0.5");
        now += 100 * MS;
        breaker.record(500, MS); // 3 of 4 are 5xx
        assertEquals(State.OPEN, breaker.state());
        for (int i = 0; i < 100; i++) {
            assertFalse(breaker.allow());
        }
        now += 9_999 * MS;
        assertFalse(breaker.allow(), "still within fallbackDuration");
    }

    @Test
    void recoveryRampsTrafficLinearlyThenCloses() {
        Breaker breaker = breaker("NetworkErrorRatio() > 0.5");
        breaker.record(502, MS);
        assertEquals(State.OPEN, breaker.state());
        now += 10_000 * MS;
        // The share allowed since recovery began follows 0.5 × t / 10 s, so the share of each moment
        // grows linearly as t / 10 s: about 5% in the first second, 45% in the fifth, 85% in the ninth.
        assertEquals(0.05, share(breaker, 1_000), 0.02);
        assertEquals(State.RECOVERING, breaker.state());
        assertEquals(0.45, share(breaker, 4_000), 0.03);
        assertEquals(0.85, share(breaker, 4_000), 0.03);
        now += 1_100 * MS;
        assertTrue(breaker.allow());
        assertEquals(State.CLOSED, breaker.state());
        for (int i = 0; i < 10; i++) {
            assertTrue(breaker.allow());
        }
    }

    /** Moves the clock by {@code millis} in steps of 1 ms, one request each, and returns the share allowed in the last second. */
    private double share(Breaker breaker, int millis) {
        int allowed = 0;
        int counted = 0;
        for (int i = 0; i < millis; i++) {
            now += MS;
            boolean ok = breaker.allow();
            if (i >= millis - 1000) {
                counted++;
                allowed += ok ? 1 : 0;
            }
        }
        return (double) allowed / counted;
    }

    @Test
    void aTripWhileRecoveringOpensAgain() {
        Breaker breaker = breaker("NetworkErrorRatio() > 0.5");
        breaker.record(504, MS);
        now += 10_001 * MS;
        share(breaker, 2_000);
        assertEquals(State.RECOVERING, breaker.state());
        now += 200 * MS;
        breaker.record(502, MS);
        assertEquals(State.OPEN, breaker.state());
        now += 5_000 * MS;
        assertFalse(breaker.allow(), "a new fallbackDuration started");
    }

    @Test
    void theWindowForgetsAnswersOlderThanTenSeconds() {
        Breaker breaker = breaker("ResponseCodeRatio(500, 600, 0, 600) > 0.5 && RequestThreshold() >= 3");
        breaker.record(500, MS);
        now += 200 * MS;
        breaker.record(500, MS);
        now += 11_000 * MS; // both fall out of the window
        breaker.record(500, MS);
        assertEquals(State.CLOSED, breaker.state(), "1 request in the window is under the threshold");
        now += 200 * MS;
        breaker.record(500, MS);
        now += 200 * MS;
        breaker.record(500, MS);
        assertEquals(State.OPEN, breaker.state());
    }

    @Test
    void latencyQuantile() {
        Breaker breaker = breaker("LatencyAtQuantileMS(50.0) > 100");
        for (int i = 0; i < 10; i++) {
            breaker.record(200, 50 * MS);
        }
        now += 200 * MS;
        breaker.record(200, 50 * MS);
        assertEquals(State.CLOSED, breaker.state());
        for (int i = 0; i < 12; i++) {
            breaker.record(200, 300 * MS);
        }
        now += 200 * MS;
        breaker.record(200, 300 * MS);
        assertEquals(State.OPEN, breaker.state(), "the median is now about 300 ms");
    }

    @Test
    void latencyHistogramSlotsAreWithinThreePercent() {
        for (long micros : new long[] {0, 1, 63, 64, 65, 100, 1_000, 12_345, 999_999, 60_000_000L, 2_000_000_000L}) {
            long high = LatencyHistogram.highest(LatencyHistogram.slot(micros));
            assertTrue(high >= micros && high <= micros * 1.035 + 1, micros + " -> " + high);
        }
    }
}
