package dev.sluice.proxy.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Properties of the hashing strategies ({@code hrw}, {@code hash}) and of {@code leasttime}: exact
 * picks of a hash cannot be predicted by hand, so these tests check determinism, spread by weight
 * and how few keys move when the group changes.
 */
class HashingStrategiesTest {
    private static final int KEYS = 10_000;

    /** An endpoint whose id and weight are fixed and whose load and response time the test sets. */
    static final class TestEndpoint implements Endpoint {
        final String id;
        final int weight;
        volatile int inFlight;
        volatile double responseTimeMillis;

        TestEndpoint(String id, int weight) {
            this.id = id;
            this.weight = weight;
        }

        @Override
        public int weight() {
            return weight;
        }

        @Override
        public int inFlight() {
            return inFlight;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public double responseTimeMillis() {
            return responseTimeMillis;
        }

        @Override
        public String toString() {
            return id;
        }
    }

    private static TestEndpoint endpoint(int port, int weight) {
        return new TestEndpoint("http://10.0.0.1:" + port, weight);
    }

    private static List<TestEndpoint> endpoints(int... weights) {
        List<TestEndpoint> list = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            list.add(endpoint(8081 + i, weights[i]));
        }
        return list;
    }

    /** Keys that look like what is really hashed: client IPs and user ids. */
    private static String key(int i) {
        return i % 2 == 0 ? "10." + (i >> 16 & 0xFF) + "." + (i >> 8 & 0xFF) + "." + (i & 0xFF) : "user-" + i;
    }

    private static List<TestEndpoint> assign(Selector<TestEndpoint> selector) {
        List<TestEndpoint> picks = new ArrayList<>(KEYS);
        for (int i = 0; i < KEYS; i++) {
            picks.add(selector.select(key(i)));
        }
        return picks;
    }

    private static Map<TestEndpoint, Integer> counts(List<TestEndpoint> picks) {
        Map<TestEndpoint, Integer> counts = new HashMap<>();
        picks.forEach(e -> counts.merge(e, 1, Integer::sum));
        return counts;
    }

    // ------------------------------------------------------------------ hrw

    @Test
    void hrwIsDeterministicPerKey() {
        List<TestEndpoint> group = endpoints(1, 1, 2);
        Selector<TestEndpoint> selector = Strategy.HRW.newSelector(group);
        List<TestEndpoint> first = assign(selector);
        assertEquals(first, assign(selector), "same selector, same keys, same picks");
        // A selector built anew over the same group (another configuration load) agrees too.
        assertEquals(first, assign(Strategy.HRW.newSelector(new ArrayList<>(group))));
        // Order of the group does not matter.
        assertEquals(first, assign(Strategy.HRW.newSelector(List.of(group.get(2), group.get(0), group.get(1)))));
    }

    @Test
    void hrwSpreadsKeysByWeight() {
        List<TestEndpoint> group = endpoints(1, 1, 2);
        Map<TestEndpoint, Integer> counts = counts(assign(Strategy.HRW.newSelector(group)));
        assertShares(counts, group, 0.05);
    }

    @Test
    void hrwRemovingAnEndpointMovesOnlyItsKeys() {
        List<TestEndpoint> group = endpoints(1, 1, 2, 1);
        List<TestEndpoint> before = assign(Strategy.HRW.newSelector(group));
        TestEndpoint removed = group.get(1);
        List<TestEndpoint> rest = new ArrayList<>(group);
        rest.remove(removed);
        List<TestEndpoint> after = assign(Strategy.HRW.newSelector(rest));
        int moved = 0;
        for (int i = 0; i < KEYS; i++) {
            if (before.get(i) != removed) {
                assertSame(before.get(i), after.get(i), "key " + key(i) + " was not on the removed endpoint");
            } else {
                moved++;
                assertTrue(after.get(i) != removed);
            }
        }
        assertTrue(moved > 0, "the removed endpoint had keys");
    }

    @Test
    void hrwNeverPicksWeightZeroAndHandlesEmptyGroups() {
        List<TestEndpoint> group = endpoints(1, 0, 1);
        Map<TestEndpoint, Integer> counts = counts(assign(Strategy.HRW.newSelector(group)));
        assertNull(counts.get(group.get(1)));
        assertNull(Strategy.HRW.newSelector(List.<TestEndpoint>of()).select("k"));
        assertNull(Strategy.HRW.newSelector(endpoints(0)).select("k"));
        assertNotNull(Strategy.HRW.newSelector(group).select(null), "a null key is a key like any other");
    }

    // ------------------------------------------------------------------ consistent hash ring

    @Test
    void ringIsDeterministicPerKey() {
        List<TestEndpoint> group = endpoints(1, 1, 1, 1);
        List<TestEndpoint> first = assign(Strategy.HASH.newSelector(group));
        assertEquals(first, assign(Strategy.HASH.newSelector(group)));
        assertEquals(first, assign(Strategy.HASH.newSelector(List.of(group.get(3), group.get(1), group.get(0), group.get(2)))));
        assertEquals(4, counts(first).size(), "every endpoint owns keys");
    }

    @Test
    void ringAddingAFifthEndpointMovesAboutAFifthOfTheKeys() {
        List<TestEndpoint> four = endpoints(1, 1, 1, 1);
        List<TestEndpoint> before = assign(Strategy.HASH.newSelector(four));
        List<TestEndpoint> five = new ArrayList<>(four);
        TestEndpoint added = endpoint(9999, 1);
        five.add(added);
        List<TestEndpoint> after = assign(Strategy.HASH.newSelector(five));
        int moved = 0;
        for (int i = 0; i < KEYS; i++) {
            if (before.get(i) != after.get(i)) {
                moved++;
                assertSame(added, after.get(i), "a key only ever moves to the new endpoint");
            }
        }
        double share = moved / (double) KEYS;
        assertTrue(share >= 0.12 && share <= 0.28, "moved " + share + " of the keys, expected about 1/5");
    }

    @Test
    void ringRemovingAnEndpointMovesOnlyItsKeys() {
        List<TestEndpoint> group = endpoints(1, 1, 1, 1, 1);
        List<TestEndpoint> before = assign(Strategy.HASH.newSelector(group));
        TestEndpoint removed = group.get(2);
        List<TestEndpoint> rest = new ArrayList<>(group);
        rest.remove(removed);
        List<TestEndpoint> after = assign(Strategy.HASH.newSelector(rest));
        for (int i = 0; i < KEYS; i++) {
            if (before.get(i) != removed) {
                assertSame(before.get(i), after.get(i), "key " + key(i) + " was not on the removed endpoint");
            } else {
                assertTrue(after.get(i) != removed);
            }
        }
    }

    @Test
    void ringSpreadsKeysRoughlyByWeight() {
        List<TestEndpoint> group = endpoints(1, 1, 2);
        // 160 points per unit of weight: looser than rendezvous hashing, still close to the weights.
        assertShares(counts(assign(Strategy.HASH.newSelector(group))), group, 0.20);
        assertNull(Strategy.HASH.newSelector(List.<TestEndpoint>of()).select("k"));
    }

    /** Each endpoint's share is its weight's share, within {@code tolerance} of it (relative). */
    private static void assertShares(Map<TestEndpoint, Integer> counts, List<TestEndpoint> group, double tolerance) {
        int total = group.stream().mapToInt(TestEndpoint::weight).sum();
        for (TestEndpoint e : group) {
            double expected = KEYS * e.weight() / (double) total;
            int got = counts.getOrDefault(e, 0);
            assertTrue(Math.abs(got - expected) <= expected * tolerance,
                    e + " got " + got + " keys, expected " + expected + " ±" + (int) (tolerance * 100) + "%: " + counts);
        }
    }

    // ------------------------------------------------------------------ leasttime

    @Test
    void leastTimePicksTheLowestScore() {
        TestEndpoint a = endpoint(1, 1);
        TestEndpoint b = endpoint(2, 1);
        TestEndpoint c = endpoint(3, 2);
        Selector<TestEndpoint> selector = Strategy.LEASTTIME.newSelector(List.of(a, b, c));
        // Scores are responseTime × (1 + inFlight) / weight.
        a.responseTimeMillis = 10;
        a.inFlight = 1; // 20
        b.responseTimeMillis = 10; // 10
        c.responseTimeMillis = 30; // 15
        for (int i = 0; i < 6; i++) {
            assertSame(b, selector.select(null), "b scores 10, c 15, a 20");
        }
        b.inFlight = 2; // 30
        for (int i = 0; i < 6; i++) {
            assertSame(c, selector.select(null), "c scores 15 (its weight halves 30), a 20, b 30");
        }
        c.inFlight = 1; // 30
        a.inFlight = 0; // 10
        for (int i = 0; i < 6; i++) {
            assertSame(a, selector.select(null), "a scores 10, b 30, c 30");
        }
    }

    @Test
    void leastTimeTiesRotate() {
        TestEndpoint a = endpoint(1, 1);
        TestEndpoint b = endpoint(2, 1);
        a.responseTimeMillis = 7;
        b.responseTimeMillis = 7;
        Selector<TestEndpoint> selector = Strategy.LEASTTIME.newSelector(List.of(a, b));
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            order.append(selector.select(null) == a ? 'a' : 'b');
        }
        assertEquals("abababab", order.toString());
    }

    @Test
    void leastTimeSendsTrafficToServersWithoutMeasurementAndNeverToWeightZero() {
        TestEndpoint measured = endpoint(1, 1);
        TestEndpoint fresh = endpoint(2, 1);
        TestEndpoint off = endpoint(3, 0);
        measured.responseTimeMillis = 5;
        Selector<TestEndpoint> selector = Strategy.LEASTTIME.newSelector(List.of(measured, fresh, off));
        for (int i = 0; i < 6; i++) {
            assertSame(fresh, selector.select(null), "no measurement yet: scored by load alone");
        }
        assertNull(Strategy.LEASTTIME.newSelector(List.of(off)).select(null));
        assertSame(fresh, Strategy.LEASTTIME.newSelector(List.of(fresh)).select(null));
    }
}
