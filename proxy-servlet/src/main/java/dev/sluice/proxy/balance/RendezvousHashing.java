package dev.sluice.proxy.balance;

import java.util.List;

/**
 * Highest random weight (rendezvous) hashing, Traefik's {@code hrw}: each endpoint scores
 * {@code -weight / ln(u)}, where {@code u} in (0,1) hashes the key together with the endpoint's id;
 * the highest score wins. A key always lands on the same endpoint while the group is unchanged,
 * shares follow the weights, and removing an endpoint only moves the keys that were on it.
 */
final class RendezvousHashing<T extends Endpoint> implements Selector<T> {
    private final Object[] endpoints;
    private final long[] idHashes;

    RendezvousHashing(List<T> all) {
        List<T> eligible = all.stream().filter(Endpoint::pickable).toList();
        this.endpoints = eligible.toArray();
        this.idHashes = eligible.stream().mapToLong(e -> Hashing.hash(e.id())).toArray();
    }

    @Override
    @SuppressWarnings("unchecked")
    public T select(String key) {
        if (endpoints.length <= 1) {
            return endpoints.length == 0 ? null : (T) endpoints[0];
        }
        String k = key == null ? "" : key;
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < endpoints.length; i++) {
            double u = Hashing.unit(Hashing.hash(idHashes[i], k));
            double score = -((T) endpoints[i]).weight() / Math.log(u);
            if (score > bestScore) {
                bestScore = score;
                best = i;
            }
        }
        return (T) endpoints[best];
    }
}
