package dev.sluice.proxy.balance;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Load-balancing strategies, by their configuration name. Each one is a stateless factory of
 * {@link Selector}s over an immutable group.
 */
public enum Strategy {
    /** Smooth weighted round-robin (nginx's algorithm): weights 5,1,1 give a,a,b,a,c,a,a. */
    WRR("wrr") {
        @Override
        public <T extends Endpoint> Selector<T> newSelector(List<T> endpoints) {
            return SmoothWeightedRoundRobin.of(endpoints);
        }
    },
    /** Weighted random pick (Pingoo's default). */
    RANDOM("random") {
        @Override
        public <T extends Endpoint> Selector<T> newSelector(List<T> endpoints) {
            return new WeightedRandom<>(endpoints);
        }
    },
    /** Power of two choices: two random endpoints, the one with fewer requests in flight wins. */
    P2C("p2c") {
        @Override
        public <T extends Endpoint> Selector<T> newSelector(List<T> endpoints) {
            return new PowerOfTwoChoices<>(endpoints);
        }
    },
    /** Highest random weight (rendezvous) hashing of the client IP. */
    HRW("hrw") {
        @Override
        public <T extends Endpoint> Selector<T> newSelector(List<T> endpoints) {
            return new RendezvousHashing<>(endpoints);
        }

        @Override
        public boolean usesKey() {
            return true;
        }
    },
    /** Lowest average time to first byte, scaled by load and weight. */
    LEASTTIME("leasttime") {
        @Override
        public <T extends Endpoint> Selector<T> newSelector(List<T> endpoints) {
            return new LeastTime<>(endpoints);
        }
    },
    /** Consistent hashing of a configured key ({@code hashKey}): ip, url, path, header, cookie or query. */
    HASH("hash") {
        @Override
        public <T extends Endpoint> Selector<T> newSelector(List<T> endpoints) {
            return new ConsistentHashRing<>(endpoints);
        }

        @Override
        public boolean usesKey() {
            return true;
        }
    };

    private final String configName;

    Strategy(String configName) {
        this.configName = configName;
    }

    public abstract <T extends Endpoint> Selector<T> newSelector(List<T> endpoints);

    /**
     * True if it can pick for a connection rather than a request (TCP and UDP services): every
     * strategy but {@code leasttime}, which measures the time to an HTTP response's first byte.
     */
    public boolean forConnections() {
        return this != LEASTTIME;
    }

    /** The names of the strategies {@link #forConnections()}. */
    public static List<String> connectionNames() {
        return Arrays.stream(values()).filter(Strategy::forConnections).map(Strategy::configName).toList();
    }

    /** True if selectors need the request's hash key. */
    public boolean usesKey() {
        return false;
    }

    public String configName() {
        return configName;
    }

    /** The strategy named {@code name} in configuration, or {@code null}. */
    public static Strategy byName(String name) {
        for (Strategy s : values()) {
            if (s.configName.equals(name.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        return null;
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(Strategy::configName).toList();
    }
}
