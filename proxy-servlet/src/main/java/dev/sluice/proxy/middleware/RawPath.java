package dev.sluice.proxy.middleware;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The raw (still percent-encoded) path of a request below its context path, which is what path
 * middlewares read and rewrite: decoding and re-encoding would change what the upstream receives
 * ({@code %2F} is not {@code /}).
 */
final class RawPath {
    private RawPath() {}

    /** The raw path after the context path ({@code /api/x%2Fy}). */
    static String of(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    /** {@code request} seen with {@code path} (below the context path) instead; an empty path becomes {@code /}. */
    static ModifiedRequest replace(HttpServletRequest request, String path) {
        String absolute = path.startsWith("/") ? path : "/" + path;
        return ModifiedRequest.of(request).rawPath(request.getContextPath() + absolute);
    }
}
