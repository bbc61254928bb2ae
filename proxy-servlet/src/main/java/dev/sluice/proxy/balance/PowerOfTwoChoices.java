package dev.sluice.proxy.balance;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Power of two choices: draw two distinct endpoints uniformly, send to the one with fewer requests
 * in flight. Nearly as good as "least requests" over all endpoints, without scanning them all and
 * without every proxy thread herding onto the same momentarily idle server.
 */
final class PowerOfTwoChoices<T extends Endpoint> implements Selector<T> {
    private final Object[] endpoints;
    private final Supplier<RandomGenerator> random;

    PowerOfTwoChoices(List<T> all) {
        this(all, ThreadLocalRandom::current);
    }

    /** @param random the source of draws, asked once per pick: per-thread in production, seeded in tests */
    PowerOfTwoChoices(List<T> all, Supplier<RandomGenerator> random) {
        this.endpoints = all.stream().filter(Endpoint::pickable).toArray();
        this.random = random;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T select(String key) {
        int n = endpoints.length;
        if (n <= 1) {
            return n == 0 ? null : (T) endpoints[0];
        }
        RandomGenerator draws = random.get();
        int i = draws.nextInt(n);
        int j = draws.nextInt(n - 1);
        if (j >= i) {
            j++; // distinct from i, still uniform
        }
        T a = (T) endpoints[i];
        T b = (T) endpoints[j];
        return b.inFlight() < a.inFlight() ? b : a;
    }
}
