package dev.sluice.proxy.config;

import java.time.Duration;
import java.util.Map;

/**
 * {@code [http.services.NAME.loadBalancer.healthCheck]}: an active check of every server.
 *
 * @param path request path, required, e.g. {@code /health}
 * @param scheme replaces the server's scheme for the check
 * @param mode {@code http} (default) or {@code grpc} (grpc.health.v1, SERVING is healthy)
 * @param hostname {@code Host} header of the check
 * @param port replaces the server's port for the check
 * @param interval between checks of a healthy server, default 30s
 * @param unhealthyInterval between checks of an unhealthy server, default {@code interval}
 * @param timeout for one check, default 5s; an interval not above it becomes timeout + 1s
 * @param headers added to the check request
 * @param followRedirects default true
 * @param method default GET
 * @param status the one healthy status; default: any 2xx or 3xx
 */
public record HealthCheckConfig(String path, String scheme, String mode, String hostname, Integer port,
        Duration interval, Duration unhealthyInterval, Duration timeout, Map<String, String> headers,
        Boolean followRedirects, String method, Integer status) {
    public HealthCheckConfig {
        mode = mode == null ? "http" : mode;
        timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
        interval = interval == null ? Duration.ofSeconds(30) : interval;
        // As documented by Traefik: an interval that does not exceed the timeout becomes timeout + 1s.
        if (interval.compareTo(timeout) <= 0) {
            interval = timeout.plusSeconds(1);
        }
        unhealthyInterval = unhealthyInterval == null ? interval : unhealthyInterval;
        headers = Frozen.map(headers);
        followRedirects = followRedirects == null || followRedirects;
        method = method == null ? "GET" : method;
    }
}
