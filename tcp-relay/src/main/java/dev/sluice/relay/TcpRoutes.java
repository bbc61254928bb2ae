package dev.sluice.relay;

import dev.sluice.proxy.rule.Rule;
import dev.sluice.proxy.tls.ServerTls;
import dev.sluice.proxy.rule.RuleRequest;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * The TCP routers of one entry point, highest priority first (ties by name, as Traefik). A TLS
 * connection tries the routers with {@code tls} first, then the plain ones; anything else only the
 * plain ones; then the fallback (the HTTP side of a shared entry point), if any.
 */
final class TcpRoutes {
    /**
     * One router, compiled.
     *
     * @param tls the router has a {@code tls} section: it takes TLS connections only
     * @param termination how to terminate TLS; null for passthrough (and plain) routers
     */
    record Route(String name, int priority, Rule rule, boolean tls, TcpService service, List<TcpMiddleware> middlewares,
            ServerTls termination) {}

    private static final Comparator<Route> ORDER = Comparator.comparingInt(Route::priority).reversed().thenComparing(Route::name);

    private final List<Route> tls;
    private final List<Route> plain;
    /** What no router takes, or null: on a shared entry point, the HTTP side. */
    private final Route fallback;

    TcpRoutes(List<Route> routes, Route fallback) {
        this.fallback = fallback;
        List<Route> sorted = new ArrayList<>(routes);
        sorted.sort(ORDER);
        this.tls = sorted.stream().filter(Route::tls).toList();
        this.plain = sorted.stream().filter(r -> !r.tls()).toList();
    }

    /** The catch-all of a shared entry point (its HTTP side), or null. */
    Route fallback() {
        return fallback;
    }

    /** The relay must look at the first bytes (a ClientHello) before it can route. */
    boolean needsClientHello() {
        return !tls.isEmpty();
    }

    /** The route for a connection, or null: {@code hello} is null for plain (or unreadable) traffic. */
    Route route(Facts facts) {
        if (facts.tls) {
            for (Route route : tls) {
                if (route.rule().matches(facts)) {
                    return route;
                }
            }
        }
        for (Route route : plain) {
            if (route.rule().matches(facts)) {
                return route;
            }
        }
        return fallback;
    }

    /** What a TCP rule may look at: the SNI (as the host), the ALPN protocols and the client address. */
    static final class Facts implements RuleRequest {
        final boolean tls;
        private final String sni;
        private final List<String> alpn;
        private final InetAddress client;

        Facts(ClientHello.Hello hello, InetAddress client) {
            this.tls = hello != null;
            this.sni = hello == null ? "" : hello.sni();
            this.alpn = hello == null ? List.of() : hello.alpn();
            this.client = client;
        }

        @Override
        public String host() {
            return sni;
        }

        @Override
        public String path() {
            return "/";
        }

        @Override
        public String method() {
            return "";
        }

        @Override
        public boolean anyHeaderValue(String name, Predicate<String> test) {
            return false;
        }

        @Override
        public boolean anyQueryValue(String key, Predicate<String> test) {
            return false;
        }

        @Override
        public InetAddress clientAddress() {
            return client;
        }

        @Override
        public List<String> alpn() {
            return alpn;
        }
    }
}
