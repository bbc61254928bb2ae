package dev.sluice.proxy.middleware;

import dev.sluice.proxy.config.middleware.HeadersConfig;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code headers}: Traefik's Headers middleware. In Traefik's order: a CORS preflight is answered
 * at once; custom request headers are applied (an empty value removes); a host outside
 * {@code allowedHosts} gets unrolled/secure's {@code 500 Bad Host}; then the response carries the
 * security headers, overridden by the custom response headers (an empty value removes), overridden
 * by the CORS headers — whoever wrote the response, upstream or Sluice.
 */
public final class Headers implements Filter {
    private static final byte[] BAD_HOST = "Bad Host\n".getBytes(StandardCharsets.UTF_8);

    private final Map<String, String> requestHeaders;
    private final CorsPolicy cors;
    private final SecurityHeaders security;
    /** Custom and CORS rules only: what a refused host's answer gets (the security part stopped it). */
    private final HeaderOverrides outer;
    private final HeaderOverrides overHttp;
    private final HeaderOverrides overHttps;

    public Headers(HeadersConfig config) {
        this.requestHeaders = config.customRequestHeaders();
        this.cors = config.hasCors() ? new CorsPolicy(config) : null;
        this.security = config.hasSecurity() ? new SecurityHeaders(config) : null;
        this.outer = overrides(config, null);
        this.overHttp = overrides(config, false);
        this.overHttps = overrides(config, true);
    }

    /** Security rules (for {@code ssl}, none if null), then custom response headers, then CORS: later ones win. */
    private HeaderOverrides overrides(HeadersConfig config, Boolean ssl) {
        HeaderOverrides.Builder builder = HeaderOverrides.builder();
        if (security != null && ssl != null) {
            security.addTo(builder, ssl);
        }
        config.customResponseHeaders().forEach((name, value) -> {
            if (value.isEmpty()) {
                builder.remove(name);
            } else {
                builder.set(name, value);
            }
        });
        if (cors != null) {
            cors.addTo(builder);
        }
        return builder.build();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        if (cors != null && CorsPolicy.isPreflight(request)) {
            cors.answerPreflight(request, response);
            return;
        }
        if (!requestHeaders.isEmpty()) {
            request = withRequestHeaders(request);
        }
        if (security != null && !security.allowsHost(request)) {
            badHost(withOrigin(outer, request).wrap(response));
            return;
        }
        HeaderOverrides overrides = security != null && security.isSsl(request) ? overHttps : overHttp;
        chain.doFilter(request, withOrigin(overrides, request).wrap(response));
    }

    private HeaderOverrides withOrigin(HeaderOverrides overrides, HttpServletRequest request) {
        return cors == null ? overrides : cors.forRequest(overrides, request);
    }

    private HttpServletRequest withRequestHeaders(HttpServletRequest request) {
        ModifiedRequest modified = ModifiedRequest.of(request);
        requestHeaders.forEach((name, value) -> {
            if (value.isEmpty()) {
                modified.hideHeader(name);
            } else {
                modified.setHeader(name, value);
            }
        });
        return modified;
    }

    /** unrolled/secure's answer, written as Go's {@code http.Error} writes it. */
    private static void badHost(HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
        response.setContentType("text/plain; charset=utf-8");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(BAD_HOST.length);
        response.getOutputStream().write(BAD_HOST);
    }
}
