package dev.sluice.proxy.observe.metrics;

import dev.sluice.proxy.config.MetricsConfig;
import dev.sluice.proxy.config.PrometheusConfig;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.observe.ExchangeObserver;
import dev.sluice.proxy.observe.SessionObserver;
import dev.sluice.proxy.route.Router;
import dev.sluice.proxy.runtime.ReloadHistory;
import dev.sluice.proxy.runtime.Snapshot;
import dev.sluice.proxy.service.Exchange;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code [metrics.prometheus]} and {@code [metrics.otlp]}: Traefik's metric families, named {@code sluice_…} (or exactly
 * Traefik's with {@code prefix = "traefik"}), plus Sluice's extensions and the JVM's, in one
 * registry of the Prometheus Java client per Sluice instance. It listens to every exchange
 * ({@link #ended}), reads the rest from the serving snapshot when scraped, and answers scrapes
 * through {@link #endpoint()} (the {@code prometheus@internal} service, routed only with
 * {@code [metrics.prometheus]}). With {@code [metrics.otlp]} the same registry is pushed over OTLP
 * ({@link OtlpMetricsPush}): one set of families, recorded once, for both exporters.
 *
 * <pre>
 * PrometheusMetrics metrics = PrometheusMetrics.create(config.metrics(), reloads, runtime::current);
 * runtime.observers().add(metrics);
 * metrics.endpoint().serve(request, response);
 * </pre>
 *
 * <p>The settings are read once, at start: a reload that changes {@code [metrics]} is applied at the
 * next start (Traefik's static configuration needs a restart too).
 */
public final class PrometheusMetrics implements ExchangeObserver, AutoCloseable {
    /** The internal service that serves the scrapes. */
    public static final String SERVICE = "prometheus@internal";

    private final PrometheusConfig config;
    private final Supplier<Snapshot> current;
    private final RequestMetrics requests;
    private final StateMetrics state;
    private final RelayMetrics relay;
    private final PrometheusEndpoint endpoint;
    private final MetricsConfig settings;
    /** The OTLP push, or null without {@code [metrics.otlp]}. */
    private final OtlpMetricsPush push;

    private PrometheusMetrics(MetricsConfig settings, ReloadHistory reloads, Supplier<Snapshot> current) {
        this.settings = settings;
        this.config = settings.families();
        this.current = current;
        PrometheusRegistry registry = new PrometheusRegistry();
        this.requests = new RequestMetrics(registry, config, settings.measuresInternals());
        this.state = new StateMetrics(registry, config.prefix(), reloads, current);
        this.relay = new RelayMetrics(registry, config.prefix());
        state.add(relay);
        // Memory, GC, threads and the process, under their usual jvm_/process_ names (no allocation
        // listener: it would stay registered on the JVM's MXBeans after this instance is gone).
        JvmMemoryMetrics.builder().register(registry);
        JvmGarbageCollectorMetrics.builder().register(registry);
        JvmThreadsMetrics.builder().register(registry);
        JvmBufferPoolMetrics.builder().register(registry);
        JvmClassLoadingMetrics.builder().register(registry);
        JvmRuntimeInfoMetric.builder().register(registry);
        ProcessMetrics.builder().register(registry);
        this.endpoint = new PrometheusEndpoint(registry, this::prune);
        this.push = settings.otlp() == null ? null : new OtlpMetricsPush(settings.otlp(), registry, this::prune);
    }

    /** The metrics {@code config} asks for, or null without {@code [metrics.prometheus]} and {@code [metrics.otlp]}. */
    public static PrometheusMetrics create(MetricsConfig config, ReloadHistory reloads, Supplier<Snapshot> current) {
        return config.families() == null ? null : new PrometheusMetrics(config, reloads, current);
    }

    /** Pushes to the OTLP collector now, waiting up to {@code seconds}; false without {@code [metrics.otlp]} or on failure. */
    public boolean flush(long seconds) {
        return push != null && push.flush(seconds);
    }

    /** Pushes the last counts over OTLP and stops pushing (nothing without {@code [metrics.otlp]}). */
    @Override
    public void close() {
        if (push != null) {
            push.close();
        }
    }

    @Override
    public void ended(Exchange exchange) {
        requests.record(exchange);
    }

    /** What the relay tells of its TCP connections and UDP sessions (add it to the runtime's session observers). */
    public SessionObserver sessions() {
        return relay;
    }

    /** What answers scrapes. */
    public PrometheusEndpoint endpoint() {
        return endpoint;
    }

    /** The families in force (those at start): {@link MetricsConfig#families()}. */
    public PrometheusConfig config() {
        return config;
    }

    /** True if {@code next} asks for other metrics settings than those in force, which a restart applies. */
    public boolean differs(SluiceConfig next) {
        return !settings.equals(next.metrics());
    }

    /** Adds a source of {@code open_connections}; closing the handle removes it. */
    public AutoCloseable addConnections(OpenConnections source) {
        return state.add(source);
    }

    /** Removes the series of entry points, routers, services and middlewares the serving configuration no longer has. */
    private void prune() {
        Snapshot snapshot = current.get();
        if (snapshot == null) {
            return;
        }
        SluiceConfig config = snapshot.config();
        Set<String> routers = new HashSet<>(config.http().routers().keySet());
        for (String entryPoint : config.entryPoints().keySet()) {
            snapshot.routes(entryPoint).routers().stream().map(Router::name).forEach(routers::add); // redirections
        }
        java.util.function.Predicate<String> entryPoints = ep -> ep.equals(PrometheusConfig.DEFAULT_ENTRY_POINT)
                || config.entryPoints().containsKey(ep);
        requests.prune(entryPoints, routers::contains, s -> s.endsWith("@internal") || config.http().services().containsKey(s),
                config.http().middlewares()::containsKey);
        relay.prune(entryPoints, config.tcp().routers()::containsKey, config.udp().routers()::containsKey);
    }
}
