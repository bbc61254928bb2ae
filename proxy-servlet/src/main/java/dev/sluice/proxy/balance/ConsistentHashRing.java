package dev.sluice.proxy.balance;

import java.util.Arrays;
import java.util.List;

/**
 * Consistent hashing on a ring (Pingap's {@code hash:*}): every endpoint owns {@value #POINTS}
 * points per unit of weight, placed by hashing its id; a key goes to the first point at or after its
 * own hash. Adding or removing one of n endpoints moves only about 1/n of the keys. A lookup is a
 * binary search over a sorted {@code long[]}: no allocation, no lock.
 */
final class ConsistentHashRing<T extends Endpoint> implements Selector<T> {
    static final int POINTS = 160;

    private final long[] ring;
    private final Object[] owners;

    ConsistentHashRing(List<T> all) {
        List<T> eligible = all.stream().filter(Endpoint::pickable).toList();
        int size = eligible.stream().mapToInt(e -> e.weight() * POINTS).sum();
        long[][] points = new long[size][];
        int n = 0;
        for (int e = 0; e < eligible.size(); e++) {
            long idHash = Hashing.hash(eligible.get(e).id());
            for (int p = 0; p < eligible.get(e).weight() * POINTS; p++) {
                points[n++] = new long[] {Hashing.mix(idHash + p * 0x9E3779B97F4A7C15L), e};
            }
        }
        Arrays.sort(points, (a, b) -> Long.compare(a[0], b[0]));
        this.ring = new long[size];
        this.owners = new Object[size];
        for (int i = 0; i < size; i++) {
            ring[i] = points[i][0];
            owners[i] = eligible.get((int) points[i][1]);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public T select(String key) {
        if (ring.length == 0) {
            return null;
        }
        long h = Hashing.hash(key == null ? "" : key);
        int i = Arrays.binarySearch(ring, h);
        if (i < 0) {
            i = -i - 1;
        }
        return (T) owners[i == ring.length ? 0 : i];
    }
}
