package dev.sluice.proxy.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code [api]}: Traefik's REST API, served by the internal service {@code api@internal}. With
 * {@code insecure = true} Sluice routes it itself on the {@code traefik} entry point (created on
 * 127.0.0.1:8080 when not declared); otherwise a router must name {@code api@internal}, so that the
 * API can sit behind {@code basicAuth} or an IP allow list.
 *
 * <pre>
 * [api]
 * insecure = true    # /api/... on the traefik entry point, 127.0.0.1:8080 unless declared
 * dashboard = false
 * </pre>
 *
 * @param basePath the path the API answers under ({@code /} by default, as Traefik's): {@code /admin}
 *     serves {@code /admin/api/rawdata}; only useful with a router of one's own
 * @param insecure route the API on the {@code traefik} entry point
 * @param dashboard Traefik's default true; Sluice has no dashboard yet: {@code /dashboard/} answers a
 *     short page saying so, and a warning is logged
 * @param debug also serve {@code /debug/vars}: JVM memory, threads, GC and uptime as JSON
 * @param disableDashboardAd accepted for Traefik's sake, shown in {@code /api/version}
 * @param dashboardName accepted for Traefik's sake, shown in {@code /api/version}
 * @param statistics Traefik v2's key, without effect in v3: accepted with a warning
 */
public record ApiConfig(String basePath, Boolean insecure, Boolean dashboard, Boolean debug, Boolean disableDashboardAd,
        String dashboardName, JsonNode statistics) {
    public ApiConfig {
        basePath = basePath == null ? "/" : basePath;
        insecure = insecure != null && insecure;
        dashboard = dashboard == null || dashboard;
        debug = debug != null && debug;
        disableDashboardAd = disableDashboardAd != null && disableDashboardAd;
    }

    /** {@link #basePath()} without its trailing slashes: {@code ""} for {@code /}, else e.g. {@code /admin}. */
    public String pathPrefix() {
        String p = basePath;
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
