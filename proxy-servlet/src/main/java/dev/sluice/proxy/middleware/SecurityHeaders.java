package dev.sluice.proxy.middleware;

import dev.sluice.proxy.config.middleware.HeadersConfig;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;

/**
 * The security part of {@code headers}, with the semantics of unrolled/secure that Traefik uses:
 * an allowed-hosts check and fixed response headers. HSTS and HPKP only go out over HTTPS (the
 * connection, or a {@code sslProxyHeaders} match), HSTS also over HTTP with {@code forceSTSHeader};
 * {@code isDevelopment} turns off the host check, HSTS and HPKP.
 */
final class SecurityHeaders {
    private final HeadersConfig config;

    SecurityHeaders(HeadersConfig config) {
        this.config = config;
    }

    /** Whether the request's host (or the first non-empty {@code hostsProxyHeaders} value) is allowed. */
    boolean allowsHost(HttpServletRequest request) {
        if (config.allowedHosts().isEmpty() || config.isDevelopment()) {
            return true;
        }
        String host = requestHost(request);
        for (String header : config.hostsProxyHeaders()) {
            String value = request.getHeader(header);
            if (value != null && !value.isEmpty()) {
                host = value;
                break;
            }
        }
        for (String allowed : config.allowedHosts()) {
            if (allowed.equalsIgnoreCase(host)) {
                return true;
            }
        }
        return false;
    }

    /** Go's {@code Request.Host}: the Host header as sent, port included. */
    private static String requestHost(HttpServletRequest request) {
        String host = request.getHeader("Host");
        if (host != null) {
            return host;
        }
        int port = request.getServerPort();
        return port > 0 ? request.getServerName() + ":" + port : request.getServerName();
    }

    boolean isSsl(HttpServletRequest request) {
        if (request.isSecure()) {
            return true;
        }
        for (Map.Entry<String, String> expected : config.sslProxyHeaders().entrySet()) {
            String value = request.getHeader(expected.getKey());
            if ((value == null ? "" : value).equals(expected.getValue())) {
                return true;
            }
        }
        return false;
    }

    /** The fixed headers for a request over HTTPS ({@code ssl}) or not. */
    void addTo(HeaderOverrides.Builder overrides, boolean ssl) {
        boolean production = !config.isDevelopment();
        if (config.stsSeconds() != null && config.stsSeconds() != 0 && (ssl || config.forceSTSHeader()) && production) {
            String value = "max-age=" + config.stsSeconds() + (config.stsIncludeSubdomains() ? "; includeSubDomains" : "")
                    + (config.stsPreload() ? "; preload" : "");
            overrides.set("Strict-Transport-Security", value);
        }
        if (!config.customFrameOptionsValue().isEmpty()) {
            overrides.set("X-Frame-Options", config.customFrameOptionsValue());
        } else if (config.frameDeny()) {
            overrides.set("X-Frame-Options", "DENY");
        }
        if (config.contentTypeNosniff()) {
            overrides.set("X-Content-Type-Options", "nosniff");
        }
        if (!config.customBrowserXSSValue().isEmpty()) {
            overrides.set("X-XSS-Protection", config.customBrowserXSSValue());
        } else if (config.browserXssFilter()) {
            overrides.set("X-XSS-Protection", "1; mode=block");
        }
        if (!config.publicKey().isEmpty() && ssl && production) {
            overrides.set("Public-Key-Pins", config.publicKey());
        }
        setIfGiven(overrides, "Content-Security-Policy", config.contentSecurityPolicy());
        setIfGiven(overrides, "Content-Security-Policy-Report-Only", config.contentSecurityPolicyReportOnly());
        setIfGiven(overrides, "Referrer-Policy", config.referrerPolicy());
        setIfGiven(overrides, "Permissions-Policy", config.permissionsPolicy());
    }

    private static void setIfGiven(HeaderOverrides.Builder overrides, String name, String value) {
        if (!value.isEmpty()) {
            overrides.set(name, value);
        }
    }
}
