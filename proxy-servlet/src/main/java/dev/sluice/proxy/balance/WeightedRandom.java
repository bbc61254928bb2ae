package dev.sluice.proxy.balance;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** Picks an endpoint at random, with probability proportional to its weight. */
final class WeightedRandom<T extends Endpoint> implements Selector<T> {
    private final Object[] endpoints;
    /** cumulative[i] = sum of the weights of endpoints 0..i; a binary search maps a draw to an index. */
    private final long[] cumulative;
    private final Supplier<RandomGenerator> random;

    WeightedRandom(List<T> all) {
        this(all, ThreadLocalRandom::current);
    }

    /** @param random the source of draws, asked once per pick: per-thread in production, seeded in tests */
    WeightedRandom(List<T> all, Supplier<RandomGenerator> random) {
        this.random = random;
        List<T> eligible = all.stream().filter(Endpoint::pickable).toList();
        this.endpoints = eligible.toArray();
        this.cumulative = new long[eligible.size()];
        long sum = 0;
        for (int i = 0; i < cumulative.length; i++) {
            sum += eligible.get(i).weight();
            cumulative[i] = sum;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public T select(String key) {
        int n = endpoints.length;
        if (n <= 1) {
            return n == 0 ? null : (T) endpoints[0];
        }
        long draw = random.get().nextLong(cumulative[n - 1]);
        int low = 0;
        int high = n - 1;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (cumulative[mid] > draw) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return (T) endpoints[low];
    }
}
