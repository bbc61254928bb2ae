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
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class StrategyTest {

    /** An endpoint whose weight is fixed and whose load the test sets. */
    static final class TestEndpoint implements Endpoint {
        final String name;
        final int weight;
        volatile int inFlight;

        TestEndpoint(String name, int weight) {
            this.name = name;
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
        public String toString() {
            return name;
        }
    }

    /** Endpoints a, b, c, ... with the given weights. */
    private static List<TestEndpoint> endpoints(int... weights) {
        List<TestEndpoint> list = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            list.add(new TestEndpoint(String.valueOf((char) ('a' + i)), weights[i]));
        }
        return list;
    }

    private static String picks(Selector<TestEndpoint> selector, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(selector.select().name);
        }
        return b.toString();
    }

    /**
     * Fixed seeds for the statistical tests below, so a run can never land in the tail the bounds
     * leave out: the same draws every time (the bounds still hold for any seed with high probability).
     */
    private static java.util.function.Supplier<java.util.random.RandomGenerator> seeded(long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        return () -> random;
    }

    private static <T extends Endpoint> Selector<T> random(List<T> endpoints) {
        return new WeightedRandom<>(endpoints, seeded(20_260_1203L));
    }

    private static <T extends Endpoint> Selector<T> p2c(List<T> endpoints) {
        return new PowerOfTwoChoices<>(endpoints, seeded(20_260_1204L));
    }

    private static Map<String, Integer> count(Selector<TestEndpoint> selector, int n) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            TestEndpoint e = selector.select();
            counts.merge(e == null ? "null" : e.name, 1, Integer::sum);
        }
        return counts;
    }

    // ------------------------------------------------------------------ names

    @Test
    void namesAndLookup() {
        assertEquals(List.of("wrr", "random", "p2c", "hrw", "leasttime", "hash"), Strategy.names());
        assertSame(Strategy.WRR, Strategy.byName("wrr"));
        assertSame(Strategy.RANDOM, Strategy.byName("random"));
        assertSame(Strategy.P2C, Strategy.byName("p2c"));
        assertSame(Strategy.P2C, Strategy.byName("P2C"));
        assertSame(Strategy.LEASTTIME, Strategy.byName("leasttime"));
        assertNull(Strategy.byName("fastest"));
        assertNull(Strategy.byName(""));
    }

    // ------------------------------------------------------------------ smooth WRR

    /**
     * Sequences worked by hand from the class Javadoc: add each weight to its score, pick the highest
     * (first on ties), subtract the total from the winner. Two periods are checked, so the table wraps.
     */
    static Stream<Arguments> wrrSequences() {
        return Stream.of(
                // 5,1,1 (total 7): scores a,b,c
                //  +w: 5,1,1 -> a (-2,1,1) | 3,2,2 -> a (-4,2,2) | 1,3,3 -> b (1,-4,3) | 6,-3,4 -> a (-1,-3,4)
                //      4,-2,5 -> c (4,-2,-2) | 9,-1,-1 -> a (2,-1,-1) | 7,0,0 -> a (0,0,0)
                Arguments.of(new int[] {5, 1, 1}, "aabacaa"),
                Arguments.of(new int[] {1, 1, 1}, "abc"),
                // 2,1 (total 3): 2,1 -> a (-1,1) | 1,2 -> b (1,-1) | 3,0 -> a (0,0)
                Arguments.of(new int[] {2, 1}, "aba"),
                // 1,2 (total 3): 1,2 -> b (1,-1) | 2,1 -> a (-1,1) | 0,3 -> b (0,0)
                Arguments.of(new int[] {1, 2}, "bab"),
                // 3,2 (total 5): 3,2 -> a (-2,2) | 1,4 -> b (1,-1) | 4,1 -> a (-1,1) | 2,3 -> b (2,-2) | 5,0 -> a
                Arguments.of(new int[] {3, 2}, "ababa"),
                // GCD reduction: 10,20 behaves exactly like 1,2
                Arguments.of(new int[] {10, 20}, "bab"),
                Arguments.of(new int[] {40000, 30000}, "abababa"), // = 4,3
                // weight 0 is left out; 2,0,1 behaves like a=2, c=1
                Arguments.of(new int[] {2, 0, 1}, "aca"),
                Arguments.of(new int[] {0, 1, 1}, "bc"),
                // single server
                Arguments.of(new int[] {7}, "a"),
                Arguments.of(new int[] {0, 3}, "b"));
    }

    @ParameterizedTest(name = "weights {0} -> {1}")
    @MethodSource("wrrSequences")
    void wrrPicksTheExactSequence(int[] weights, String period) {
        Selector<TestEndpoint> wrr = Strategy.WRR.newSelector(endpoints(weights));
        assertEquals(period + period + period, picks(wrr, period.length() * 3));
    }

    @Test
    void wrrEmptyAndAllZeroPickNothing() {
        assertNull(Strategy.WRR.newSelector(List.<TestEndpoint>of()).select());
        Selector<TestEndpoint> zeros = Strategy.WRR.newSelector(endpoints(0, 0, 0));
        assertNull(zeros.select());
        assertNull(zeros.select());
    }

    @Test
    void wrrGroupsAreIndependent() {
        List<TestEndpoint> group = endpoints(1, 1);
        Selector<TestEndpoint> one = Strategy.WRR.newSelector(group);
        Selector<TestEndpoint> two = Strategy.WRR.newSelector(group);
        assertEquals("ab", picks(one, 2));
        assertEquals("ab", picks(two, 2));
        assertEquals("a", picks(one, 1));
    }

    @Test
    void wrrAtExactlyMaxTableStillCycles() {
        // Period == MAX_TABLE: the largest period that is precomputed.
        int max = SmoothWeightedRoundRobin.MAX_TABLE;
        Selector<TestEndpoint> wrr = Strategy.WRR.newSelector(endpoints(max - 1, 1));
        Map<String, Integer> counts = count(wrr, max);
        assertEquals(Map.of("a", max - 1, "b", 1), counts);
        // The next period starts over: 65535 + 1 > 0 + 1, so a comes first again.
        assertEquals("a", wrr.select().name);
    }

    @Test
    void wrrPeriodLongerThanTheTableKeepsExactShares() {
        // 40001 and 30000 share no divisor: the period is 70001 > MAX_TABLE, so the live algorithm runs.
        assertTrue(40001 + 30000 > SmoothWeightedRoundRobin.MAX_TABLE);
        List<TestEndpoint> group = endpoints(40001, 30000);
        Selector<TestEndpoint> wrr = Strategy.WRR.newSelector(group);
        assertEquals(Map.of("a", 40001, "b", 30000), count(wrr, 70001));
        assertEquals(Map.of("a", 40001, "b", 30000), count(wrr, 70001));

        // The live selector yields the same smooth sequence as the algorithm: never more than two a's,
        // never two b's in a row, for 4:3-like ratios.
        Selector<TestEndpoint> fresh = Strategy.WRR.newSelector(group);
        String first = picks(fresh, 700);
        assertTrue(!first.contains("aaa") && !first.contains("bb"), first);
    }

    @Test
    void wrrLargeWeightsThatReduceFitTheTable() {
        // {40000, 30000} reduces to {4, 3}: exact shares over 70000 picks.
        Selector<TestEndpoint> wrr = Strategy.WRR.newSelector(endpoints(40000, 30000));
        assertEquals(Map.of("a", 40000, "b", 30000), count(wrr, 70000));
    }

    @Test
    void wrrIsExactUnderConcurrency() throws Exception {
        Selector<TestEndpoint> wrr = Strategy.WRR.newSelector(endpoints(1, 1));
        Map<String, Integer> counts = concurrently(wrr, 8, 10_000);
        assertEquals(Map.of("a", 40_000, "b", 40_000), counts);
    }

    @Test
    void wrrLiveIsExactUnderConcurrency() throws Exception {
        // Two full periods of the live (locked) algorithm from two threads.
        Selector<TestEndpoint> wrr = Strategy.WRR.newSelector(endpoints(40001, 30000));
        Map<String, Integer> counts = concurrently(wrr, 2, 70001);
        assertEquals(Map.of("a", 80002, "b", 60000), counts);
    }

    private static Map<String, Integer> concurrently(Selector<TestEndpoint> selector, int threads, int picksEach)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Map<String, Integer>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<Map<String, Integer>> task = () -> {
                    start.await();
                    return count(selector, picksEach);
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            Map<String, Integer> total = new HashMap<>();
            for (Future<Map<String, Integer>> f : futures) {
                f.get(60, TimeUnit.SECONDS).forEach((k, v) -> total.merge(k, v, Integer::sum));
            }
            return total;
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ weighted random

    @Test
    void weightedRandomFollowsWeights() {
        Selector<TestEndpoint> random = random(endpoints(3, 1));
        Map<String, Integer> counts = count(random, 20_000);
        double share = counts.getOrDefault("a", 0) / 20_000.0;
        assertTrue(share >= 0.72 && share <= 0.78, () -> "share of a = " + share + " " + counts);
        assertEquals(20_000, counts.getOrDefault("a", 0) + counts.getOrDefault("b", 0));
    }

    @Test
    void weightedRandomNeverPicksWeightZero() {
        Selector<TestEndpoint> random = random(endpoints(0, 1, 0, 2, 0));
        Map<String, Integer> counts = count(random, 10_000);
        assertEquals(Stream.of("b", "d").collect(Collectors.toSet()), counts.keySet());
        assertTrue(counts.get("d") > counts.get("b"), counts::toString);
    }

    @Test
    void weightedRandomEdgeCases() {
        assertNull(random(List.<TestEndpoint>of()).select());
        assertNull(random(endpoints(0, 0)).select());
        assertEquals(Map.of("b", 1000), count(random(endpoints(0, 5)), 1000));
        assertNotNull(Strategy.RANDOM.newSelector(endpoints(1, 1)).select(), "the production source of draws");
    }

    @Test
    void weightedRandomReachesEveryEndpoint() {
        Selector<TestEndpoint> random = random(endpoints(1, 1, 1, 1, 1));
        Map<String, Integer> counts = count(random, 10_000);
        assertEquals(5, counts.size(), counts::toString);
        counts.values().forEach(n -> assertTrue(n > 1500 && n < 2500, counts::toString));
    }

    // ------------------------------------------------------------------ power of two choices

    @Test
    void p2cAvoidsTheLoadedEndpoint() {
        List<TestEndpoint> group = endpoints(1, 1, 1);
        group.get(0).inFlight = 100;
        Selector<TestEndpoint> p2c = p2c(group);
        Map<String, Integer> counts = count(p2c, 10_000);
        // The two draws are distinct, so the loaded endpoint always meets an idle one and loses.
        assertEquals(0, counts.getOrDefault("a", 0), counts::toString);
        assertEquals(10_000, counts.get("b") + counts.get("c"));
        assertTrue(counts.get("b") > 4000 && counts.get("c") > 4000, counts::toString);
    }

    @Test
    void p2cWithTwoEndpointsAlwaysPicksTheLessLoaded() {
        List<TestEndpoint> group = endpoints(1, 1);
        group.get(0).inFlight = 5;
        group.get(1).inFlight = 1;
        Selector<TestEndpoint> p2c = p2c(group);
        assertEquals(Map.of("b", 10_000), count(p2c, 10_000));

        group.get(1).inFlight = 9; // loads are read live on every pick
        assertEquals(Map.of("a", 10_000), count(p2c, 10_000));
    }

    @Test
    void p2cSpreadsEqualLoad() {
        Selector<TestEndpoint> p2c = p2c(endpoints(1, 1, 1));
        Map<String, Integer> counts = count(p2c, 9_000);
        assertEquals(3, counts.size(), counts::toString);
        counts.values().forEach(n -> assertTrue(n > 2400 && n < 3600, counts::toString));
    }

    @Test
    void p2cLeavesOutWeightZero() {
        List<TestEndpoint> group = endpoints(0, 1, 1);
        group.get(1).inFlight = 50;
        group.get(2).inFlight = 50;
        Selector<TestEndpoint> p2c = p2c(group);
        Map<String, Integer> counts = count(p2c, 5_000);
        assertEquals(0, counts.getOrDefault("a", 0), counts::toString);
    }

    @Test
    void p2cEdgeCases() {
        assertNull(Strategy.P2C.newSelector(List.<TestEndpoint>of()).select());
        assertNull(Strategy.P2C.newSelector(endpoints(0, 0)).select());
        List<TestEndpoint> single = endpoints(0, 4);
        single.get(1).inFlight = 1000;
        assertEquals(Map.of("b", 100), count(Strategy.P2C.newSelector(single), 100));
    }

    // ------------------------------------------------------------------ all strategies

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void everyStrategyHandlesEmptyZeroAndSingleGroups(Strategy strategy) {
        assertNull(strategy.newSelector(List.<TestEndpoint>of()).select());
        assertNull(strategy.newSelector(endpoints(0)).select());
        TestEndpoint only = endpoints(3).get(0);
        Selector<TestEndpoint> selector = strategy.newSelector(List.of(only));
        for (int i = 0; i < 10; i++) {
            assertSame(only, selector.select());
        }
        Selector<TestEndpoint> two = strategy.newSelector(endpoints(1, 1));
        for (int i = 0; i < 100; i++) {
            assertNotNull(two.select());
        }
    }
}
