package dev.sluice.proxy.balance;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Smooth weighted round-robin, the algorithm of nginx's upstream module.
 *
 * <p>Every pick adds each endpoint's weight to its running score, takes the endpoint with the
 * highest score (first one on ties) and subtracts the total weight from it. For weights
 * {@code a=5, b=1, c=1} this yields {@code a a b a c a a} and then repeats: heavy endpoints are
 * spread out instead of picked in bursts.
 *
 * <p>The sequence depends only on the weights, so it is computed once, over one period (the sum of
 * the weights after dividing by their greatest common divisor), and a pick is one atomic increment
 * and an array read: no lock on the request path. Groups whose period would be too long for a
 * table (weights summing past {@value #MAX_TABLE}) run the algorithm live under a lock instead.
 */
final class SmoothWeightedRoundRobin {
    static final int MAX_TABLE = 1 << 16;

    private SmoothWeightedRoundRobin() {}

    static <T extends Endpoint> Selector<T> of(List<T> endpoints) {
        List<T> eligible = endpoints.stream().filter(Endpoint::pickable).toList();
        if (eligible.isEmpty()) {
            return key -> null;
        }
        if (eligible.size() == 1) {
            T only = eligible.get(0);
            return key -> only;
        }
        int[] weights = reducedWeights(eligible);
        long period = 0;
        for (int w : weights) {
            period += w;
        }
        if (period > MAX_TABLE) {
            return new Live<>(eligible, weights);
        }
        Live<T> generator = new Live<>(eligible, weights);
        List<T> table = new ArrayList<>((int) period);
        for (int i = 0; i < period; i++) {
            table.add(generator.select(null));
        }
        return new Table<>(table);
    }

    private static int[] reducedWeights(List<? extends Endpoint> endpoints) {
        int gcd = 0;
        for (Endpoint e : endpoints) {
            gcd = gcd(gcd, e.weight());
        }
        int[] weights = new int[endpoints.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = endpoints.get(i).weight() / gcd;
        }
        return weights;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** One precomputed period, walked by an atomic counter. */
    private static final class Table<T extends Endpoint> implements Selector<T> {
        private final Object[] sequence;
        private final AtomicLong next = new AtomicLong();

        Table(List<T> sequence) {
            this.sequence = sequence.toArray();
        }

        @Override
        @SuppressWarnings("unchecked")
        public T select(String key) {
            return (T) sequence[(int) Long.remainderUnsigned(next.getAndIncrement(), sequence.length)];
        }

        @Override
        @SuppressWarnings("unchecked")
        public T peek(String key) {
            return (T) sequence[(int) Long.remainderUnsigned(next.get(), sequence.length)];
        }
    }

    /** The algorithm itself; also used to fill the table. */
    private static final class Live<T extends Endpoint> implements Selector<T> {
        private final List<T> endpoints;
        private final int[] weights;
        private final long[] scores;
        private final long total;

        Live(List<T> endpoints, int[] weights) {
            this.endpoints = endpoints;
            this.weights = weights;
            this.scores = new long[weights.length];
            long sum = 0;
            for (int w : weights) {
                sum += w;
            }
            this.total = sum;
        }

        @Override
        public synchronized T select(String key) {
            int best = 0;
            for (int i = 0; i < weights.length; i++) {
                scores[i] += weights[i];
                if (scores[i] > scores[best]) {
                    best = i;
                }
            }
            scores[best] -= total;
            return endpoints.get(best);
        }

        @Override
        public synchronized T peek(String key) {
            int best = 0;
            for (int i = 0; i < weights.length; i++) {
                if (scores[i] + weights[i] > scores[best] + weights[best]) {
                    best = i;
                }
            }
            return endpoints.get(best);
        }
    }
}
