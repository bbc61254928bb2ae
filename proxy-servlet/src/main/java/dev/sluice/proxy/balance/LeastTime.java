package dev.sluice.proxy.balance;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Traefik's {@code leasttime}: the endpoint with the lowest
 * {@code averageTimeToFirstByte × (1 + inFlight) / weight} wins. Endpoints without a measurement yet
 * score by load alone, so new servers get traffic. Ties are broken round-robin, by scanning from a
 * rotating start, so equal servers share the load evenly.
 */
final class LeastTime<T extends Endpoint> implements Selector<T> {
    private final Object[] endpoints;
    private final AtomicInteger start = new AtomicInteger();

    LeastTime(List<T> all) {
        this.endpoints = all.stream().filter(Endpoint::pickable).toArray();
    }

    @Override
    @SuppressWarnings("unchecked")
    public T select(String key) {
        return best(start.getAndIncrement());
    }

    @Override
    public T peek(String key) {
        return best(start.get());
    }

    @SuppressWarnings("unchecked")
    private T best(int rotation) {
        int n = endpoints.length;
        if (n <= 1) {
            return n == 0 ? null : (T) endpoints[0];
        }
        int first = Math.floorMod(rotation, n);
        T best = null;
        double bestScore = Double.MAX_VALUE;
        for (int k = 0; k < n; k++) {
            T e = (T) endpoints[(first + k) % n];
            double score = Math.max(e.responseTimeMillis(), 1e-3) * (1 + e.inFlight()) / e.weight();
            if (score < bestScore) {
                bestScore = score;
                best = e;
            }
        }
        return best;
    }
}
