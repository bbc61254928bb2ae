package dev.sluice.proxy.observe.metrics;

import dev.sluice.proxy.config.PrometheusConfig;
import dev.sluice.proxy.service.Exchange;
import dev.sluice.proxy.service.LoadBalancer;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * What one HTTP exchange adds to the metrics once it is over: the request families of its entry
 * point, router and service (each level only when enabled), the service's retries, and the refusal
 * of a protecting middleware. As Traefik: the router level only for requests a router took, the
 * service level only for those its middlewares let through to the service; internal services
 * ({@code prometheus@internal}, ...) only with {@code metrics.addInternals}.
 */
final class RequestMetrics {
    /** The entry point label in a WAR, where the container owns the listeners. */
    static final String WAR_ENTRY_POINT = "default";
    private static final String INTERNAL = "@internal";

    private final RequestFamilies entryPoints;
    private final RequestFamilies routers;
    private final RequestFamilies services;
    private final Counter retries;
    private final ConcurrentHashMap<String, CounterDataPoint> retriesByService = new ConcurrentHashMap<>();
    private final Counter refused;
    private final boolean internals;

    RequestMetrics(PrometheusRegistry registry, PrometheusConfig config, boolean internals) {
        String prefix = config.prefix();
        double[] buckets = config.bucketArray();
        this.internals = internals;
        this.entryPoints = config.addEntryPointsLabels() ? new RequestFamilies(registry, prefix, "entrypoint", "an entrypoint",
                List.of("entrypoint"), buckets, config.headerLabels()) : null;
        this.routers = config.addRoutersLabels() ? new RequestFamilies(registry, prefix, "router", "a router",
                List.of("router", "service"), buckets, config.headerLabels()) : null;
        this.services = config.addServicesLabels() ? new RequestFamilies(registry, prefix, "service", "a service",
                List.of("service"), buckets, config.headerLabels()) : null;
        this.retries = config.addServicesLabels() ? Counter.builder().name(prefix + "_service_retries_total")
                .help("How many request retries happened on a service.").labelNames("service").withoutExemplars().register(registry)
                : null;
        this.refused = Counter.builder().name(prefix + "_middleware_requests_refused_total")
                .help("Requests a middleware refused to protect its service (rateLimit and inFlightReq: 429, circuitBreaker: its"
                        + " responseCode), by middleware and type.")
                .labelNames("middleware", "type").withoutExemplars().register(registry);
    }

    void record(Exchange exchange) {
        String service = exchange.service();
        if (!internals && service != null && service.endsWith(INTERNAL)) {
            return;
        }
        HttpServletRequest request = exchange.containerRequest();
        int code = exchange.status();
        int method = RequestLabels.method(request.getMethod());
        int protocol = RequestLabels.protocol(request);
        double seconds = exchange.durationNanos() / 1e9;
        long in = exchange.bytesIn();
        long out = exchange.bytesOut();
        if (entryPoints != null) {
            String entryPoint = exchange.entryPoint();
            entryPoints.record(entryPoints.scope(entryPoint == null ? WAR_ENTRY_POINT : entryPoint), code, method, protocol, seconds, in,
                    out, request);
        }
        String router = exchange.router();
        if (router != null && routers != null) {
            routers.record(routers.scope(router, service), code, method, protocol, seconds, in, out, request);
        }
        if (router != null && services != null && exchange.hasReachedService()) {
            services.record(services.scope(service), code, method, protocol, seconds, in, out, request);
            // The load balancer that chose the server, when the router's service is a weighted, failover or mirroring one above it.
            LoadBalancer balancer = exchange.balancer();
            if (balancer != null && !balancer.name().equals(service)) {
                services.record(services.scope(balancer.name()), code, method, protocol, seconds, in, out, request);
            }
            int attempts = exchange.retryAttempts();
            if (attempts > 0) {
                retriesByService.computeIfAbsent(service, s -> retries.labelValues(s)).inc(attempts);
            }
        }
        Exchange.Refusal refusal = exchange.refusal();
        if (refusal != null) {
            refused.labelValues(refusal.middleware(), refusal.type()).inc();
        }
    }

    /** Drops the series of what the current configuration no longer has (after a scrape, as Traefik). */
    void prune(Predicate<String> entryPointAlive, Predicate<String> routerAlive, Predicate<String> serviceAlive,
            Predicate<String> middlewareAlive) {
        if (entryPoints != null) {
            entryPoints.prune(name -> name.equals(WAR_ENTRY_POINT) || entryPointAlive.test(name));
        }
        if (routers != null) {
            routers.prune(routerAlive);
        }
        if (services != null) {
            services.prune(serviceAlive);
            retriesByService.keySet().removeIf(s -> !serviceAlive.test(s));
            retries.removeIf(labels -> !serviceAlive.test(labels.get(0)));
        }
        refused.removeIf(labels -> !middlewareAlive.test(labels.get(0)));
    }
}
