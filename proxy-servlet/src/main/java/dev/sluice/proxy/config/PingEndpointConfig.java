package dev.sluice.proxy.config;

/**
 * {@code [ping]}: Traefik's health endpoint, served by the internal service {@code ping@internal}:
 * 200 {@code OK}, or {@code terminatingStatusCode} once a graceful shutdown has begun (so a load
 * balancer in front stops sending new connections while requests drain). Named so as not to be
 * confused with {@link dev.sluice.proxy.config.middleware.PingConfig}, the {@code ping} middleware.
 *
 * <pre>
 * [ping]
 * entryPoint = "traefik"        # the default; created on 127.0.0.1:8080 when not declared
 * terminatingStatusCode = 204
 * </pre>
 *
 * @param entryPoint where Sluice routes {@code /ping} itself (default {@code traefik})
 * @param manualRouting no router of Sluice's own: a router must name {@code ping@internal}
 * @param terminatingStatusCode the status answered during a graceful shutdown (default 503)
 */
public record PingEndpointConfig(String entryPoint, Boolean manualRouting, Integer terminatingStatusCode) {
    public PingEndpointConfig {
        entryPoint = entryPoint == null || entryPoint.isBlank() ? InternalRouting.ENTRY_POINT : entryPoint;
        manualRouting = manualRouting != null && manualRouting;
        terminatingStatusCode = terminatingStatusCode == null ? 503 : terminatingStatusCode;
    }
}
