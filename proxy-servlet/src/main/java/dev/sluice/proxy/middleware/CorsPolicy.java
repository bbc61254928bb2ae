package dev.sluice.proxy.middleware;

import dev.sluice.proxy.config.middleware.HeadersConfig;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The CORS part of {@code headers}, as Traefik does it: preflights are answered here with 200 and
 * never forwarded; other responses get the allowed origin (overwriting the upstream's),
 * credentials, exposed headers and {@code Vary: Origin}.
 */
final class CorsPolicy {
    private static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";

    private final HeadersConfig config;
    private final List<Pattern> originPatterns;
    private final String exposeHeaders;

    CorsPolicy(HeadersConfig config) {
        this.config = config;
        this.originPatterns = config.accessControlAllowOriginListRegex().stream().map(Pattern::compile).toList();
        // With credentials a browser reads "*" literally, so Traefik leaves the header out.
        boolean wildcardWithCredentials = config.accessControlExposeHeaders().contains("*") && config.accessControlAllowCredentials();
        this.exposeHeaders = config.accessControlExposeHeaders().isEmpty() || wildcardWithCredentials
                ? null : String.join(",", config.accessControlExposeHeaders());
    }

    /** An OPTIONS request with both {@code Origin} and {@code Access-Control-Request-Method}. */
    static boolean isPreflight(HttpServletRequest request) {
        return "OPTIONS".equals(request.getMethod()) && notEmpty(request.getHeader("Origin"))
                && notEmpty(request.getHeader("Access-Control-Request-Method"));
    }

    void answerPreflight(HttpServletRequest request, HttpServletResponse response) {
        boolean credentials = config.accessControlAllowCredentials();
        if (credentials) {
            response.setHeader("Access-Control-Allow-Credentials", "true");
        }
        List<String> headers = config.accessControlAllowHeaders();
        if (headers.contains("*") && credentials) {
            // "*" means nothing to a browser sending credentials: name what it asked for instead.
            String requested = request.getHeader("Access-Control-Request-Headers");
            if (notEmpty(requested)) {
                response.setHeader("Access-Control-Allow-Headers", requested);
            }
        } else if (!headers.isEmpty()) {
            response.setHeader("Access-Control-Allow-Headers", String.join(",", headers));
        }
        List<String> methods = config.accessControlAllowMethods();
        if (methods.contains("*") && credentials) {
            response.setHeader("Access-Control-Allow-Methods", request.getHeader("Access-Control-Request-Method"));
        } else if (!methods.isEmpty()) {
            response.setHeader("Access-Control-Allow-Methods", String.join(",", methods));
        }
        String origin = allowedOrigin(request.getHeader("Origin"));
        if (origin != null) {
            response.setHeader(ALLOW_ORIGIN, origin);
        }
        if (config.accessControlMaxAge() != null) {
            response.setHeader("Access-Control-Max-Age", Long.toString(config.accessControlMaxAge()));
        }
        if (exposeHeaders != null) {
            response.setHeader("Access-Control-Expose-Headers", exposeHeaders);
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentLength(0);
    }

    /** The rules every other response gets, whatever the request. */
    void addTo(HeaderOverrides.Builder overrides) {
        if (config.accessControlAllowCredentials()) {
            overrides.set("Access-Control-Allow-Credentials", "true");
        }
        if (exposeHeaders != null) {
            overrides.set("Access-Control-Expose-Headers", exposeHeaders);
        }
        if (config.addVaryHeader()) {
            overrides.rule("Vary", CorsPolicy::varyOrigin);
        }
    }

    /** {@code overrides} plus the allowed origin of this request, if it has one. */
    HeaderOverrides forRequest(HeaderOverrides overrides, HttpServletRequest request) {
        String origin = allowedOrigin(request.getHeader("Origin"));
        return origin == null ? overrides : overrides.with(ALLOW_ORIGIN, HeaderOverrides.fixed(origin));
    }

    /**
     * What {@code Access-Control-Allow-Origin} says to {@code origin}: a listed origin or {@code *}
     * as configured (but the origin itself with credentials, where {@code *} is not allowed), an
     * origin containing a match of a regex; null if none applies.
     */
    String allowedOrigin(String origin) {
        String requested = origin == null ? "" : origin;
        String allowed = null;
        for (String item : config.accessControlAllowOriginList()) {
            if (item.equals(requested)) {
                allowed = item;
                break;
            }
            if (item.equals("*")) {
                allowed = config.accessControlAllowCredentials() ? requested : item;
                break;
            }
        }
        if (allowed == null) {
            for (Pattern pattern : originPatterns) {
                if (pattern.matcher(requested).find()) {
                    allowed = requested;
                    break;
                }
            }
        }
        return allowed == null || allowed.isEmpty() ? null : allowed;
    }

    /** Traefik appends {@code ,Origin} to the upstream's first Vary value unless that is exactly {@code Origin}. */
    private static List<String> varyOrigin(List<String> written) {
        String first = written.isEmpty() ? "" : written.get(0);
        if (first.equals("Origin")) {
            return written;
        }
        return List.of(first.isEmpty() ? "Origin" : first + ",Origin");
    }

    private static boolean notEmpty(String value) {
        return value != null && !value.isEmpty();
    }
}
