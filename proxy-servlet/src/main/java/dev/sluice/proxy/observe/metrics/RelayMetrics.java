package dev.sluice.proxy.observe.metrics;

import dev.sluice.proxy.observe.Session;
import dev.sluice.proxy.observe.SessionObserver;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Extensions for the relay, which Traefik does not measure: per TCP and UDP router, the sessions
 * opened, open now, and the bytes carried each way (counted when a session ends: the relay reports
 * bytes then), and per entry point how sessions ended ({@code CLOSED}, {@code IDLE}, {@code NO_ROUTE},
 * ...). It also gives {@code open_connections} its TCP and UDP counts for the relay's entry points.
 * Told on the relay's reactor thread: it only counts.
 */
final class RelayMetrics implements SessionObserver, OpenConnections {
    private final Protocol tcp;
    private final Protocol udp;
    private final Counter ended;
    /** Sessions open per entry point and protocol ("TCP"/"UDP" + entry point). */
    private final Map<String, AtomicLong> openByEntryPoint = new ConcurrentHashMap<>();

    RelayMetrics(PrometheusRegistry registry, String prefix) {
        this.tcp = new Protocol(registry, prefix + "_tcp_router_", "connections", "TCP connections");
        this.udp = new Protocol(registry, prefix + "_udp_router_", "sessions", "UDP sessions");
        this.ended = Counter.builder().name(prefix + "_relay_sessions_ended_total")
                .help("TCP connections and UDP sessions of the relay that ended, by entry point, protocol and how they ended.")
                .labelNames("entrypoint", "protocol", "end").withoutExemplars().register(registry);
    }

    @Override
    public void opened(Session session) {
        if (session.router() != null) {
            protocol(session).scope(session).opened();
        }
        open(session).incrementAndGet();
    }

    @Override
    public void ended(Session session) {
        // Totals first, the router's open gauge last: a scrape that reads it back at zero reads the
        // session's end and bytes too.
        ended.labelValues(session.entryPoint(), session.protocol().name(), session.end().name().toLowerCase(Locale.ROOT)).inc();
        if (session.opened()) {
            open(session).decrementAndGet();
            if (session.router() != null) {
                protocol(session).scope(session).ended(session.bytesIn(), session.bytesOut());
            }
        }
    }

    @Override
    public void report(Sink sink) {
        openByEntryPoint.forEach((key, open) -> sink.open(key.substring(3), key.substring(0, 3), open.get()));
    }

    private AtomicLong open(Session session) {
        return openByEntryPoint.computeIfAbsent(session.protocol().name() + session.entryPoint(), k -> new AtomicLong());
    }

    private Protocol protocol(Session session) {
        return session.protocol() == Session.Protocol.TCP ? tcp : udp;
    }

    /** Drops what belongs to entry points or routers a reload removed. */
    void prune(Predicate<String> entryPointAlive, Predicate<String> tcpRouterAlive, Predicate<String> udpRouterAlive) {
        openByEntryPoint.entrySet().removeIf(e -> e.getValue().get() == 0 && !entryPointAlive.test(e.getKey().substring(3)));
        ended.removeIf(labels -> !entryPointAlive.test(labels.get(0)));
        tcp.prune(tcpRouterAlive);
        udp.prune(udpRouterAlive);
    }

    /** The four families of one protocol, and their children per router. */
    private static final class Protocol {
        private final Counter total;
        private final Gauge open;
        private final Counter received;
        private final Counter sent;
        private final Map<String, Scope> scopes = new ConcurrentHashMap<>();

        Protocol(PrometheusRegistry registry, String start, String what, String help) {
            String[] labels = {"entrypoint", "router", "service"};
            this.total = Counter.builder().name(start + what + "_total").help(help + " a router took and relayed to a server.")
                    .labelNames(labels).withoutExemplars().register(registry);
            this.open = Gauge.builder().name(start + "open_" + what).help(help + " of a router open now.")
                    .labelNames(labels).register(registry);
            this.received = Counter.builder().name(start + "received_bytes_total")
                    .help("Bytes received from clients on " + help + " of a router, counted when they end.")
                    .labelNames(labels).withoutExemplars().register(registry);
            this.sent = Counter.builder().name(start + "sent_bytes_total")
                    .help("Bytes sent to clients on " + help + " of a router, counted when they end.")
                    .labelNames(labels).withoutExemplars().register(registry);
        }

        /** By entry point, router and service: a session ends on the children it opened with, whatever a reload changed meanwhile. */
        Scope scope(Session session) {
            String key = session.entryPoint() + '\0' + session.router() + '\0' + session.service();
            Scope scope = scopes.get(key);
            if (scope == null) {
                String[] values = {session.entryPoint(), session.router(), session.service()};
                scope = scopes.computeIfAbsent(key, k -> new Scope(session.router(), total.labelValues(values), open.labelValues(values),
                        received.labelValues(values), sent.labelValues(values)));
            }
            return scope;
        }

        void prune(Predicate<String> routerAlive) {
            scopes.values().removeIf(scope -> !routerAlive.test(scope.router()));
            Predicate<java.util.List<String>> stale = labels -> !routerAlive.test(labels.get(1));
            total.removeIf(stale::test);
            open.removeIf(stale::test);
            received.removeIf(stale::test);
            sent.removeIf(stale::test);
        }
    }

    private record Scope(String router, CounterDataPoint total, GaugeDataPoint open, CounterDataPoint received,
            CounterDataPoint sent) {
        void opened() {
            total.inc();
            open.inc();
        }

        void ended(long in, long out) {
            received.inc(in);
            sent.inc(out);
            open.dec();
        }
    }
}
