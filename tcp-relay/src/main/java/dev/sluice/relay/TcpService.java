package dev.sluice.relay;

import dev.sluice.proxy.balance.Endpoint;
import dev.sluice.proxy.balance.Selector;
import dev.sluice.proxy.balance.Strategy;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A TCP (or UDP) service: picks the server for a new connection. {@link #pick(Set)} skips the
 * servers already tried for this connection, so a refused connect moves on to the next one.
 */
interface TcpService extends Endpoint {
    /**
     * A healthy server not in {@code tried}, or null when none is left.
     *
     * @param clientIp the client's address, which {@code hrw} and {@code hash} hash
     */
    TcpServer pick(Set<TcpServer> tried, String clientIp);

    /** The service's name, as configured. */
    String name();

    /**
     * The first server {@code attempt} gets from a candidate: in the strategy's order first, so that
     * retries also spread, then from any candidate that may be picked.
     */
    private static <T extends Endpoint> TcpServer pick(Selector<T> selector, List<T> candidates, String key,
            Function<T, TcpServer> attempt) {
        for (int i = 0; i < candidates.size(); i++) {
            T next = selector.select(key);
            if (next == null) {
                break;
            }
            TcpServer server = attempt.apply(next);
            if (server != null) {
                return server;
            }
        }
        for (T candidate : candidates) {
            TcpServer server = candidate.pickable() ? attempt.apply(candidate) : null;
            if (server != null) {
                return server;
            }
        }
        return null;
    }

    /** The servers, picked by the configured strategy (smooth weighted round-robin by default), the unhealthy ones skipped. */
    final class LoadBalancer implements TcpService {
        private final String name;
        private final List<TcpServer> servers;
        private final Selector<TcpServer> selector;

        LoadBalancer(String name, List<TcpServer> servers, Strategy strategy) {
            this.name = name;
            this.servers = List.copyOf(servers);
            this.selector = strategy.newSelector(this.servers);
        }

        List<TcpServer> servers() {
            return servers;
        }

        @Override
        public TcpServer pick(Set<TcpServer> tried, String clientIp) {
            return TcpService.pick(selector, servers, clientIp, server -> server.isUp() && !tried.contains(server) ? server : null);
        }

        @Override
        public int weight() {
            return 1;
        }

        @Override
        public int inFlight() {
            return 0;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** {@code weighted}: smooth weighted round-robin over child services. */
    final class Weighted implements TcpService {
        /** A child service with its weight in this parent. */
        record Child(TcpService service, int weight) implements Endpoint {
            @Override
            public int inFlight() {
                return 0;
            }
        }

        private final String name;
        private final List<Child> children;
        private final Selector<Child> selector;

        Weighted(String name, List<Child> children) {
            this.name = name;
            this.children = List.copyOf(children);
            this.selector = Strategy.WRR.newSelector(this.children);
        }

        @Override
        public TcpServer pick(Set<TcpServer> tried, String clientIp) {
            return TcpService.pick(selector, children, null, child -> child.service().pick(tried, clientIp));
        }

        @Override
        public int weight() {
            return 1;
        }

        @Override
        public int inFlight() {
            return 0;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
