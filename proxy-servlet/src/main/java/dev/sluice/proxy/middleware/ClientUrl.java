package dev.sluice.proxy.middleware;

import jakarta.servlet.http.HttpServletRequest;

/** The parts of the URL a client used, as redirects rebuild it: {@code Host} as sent, raw path and query. */
final class ClientUrl {
    private ClientUrl() {}

    /** The URL the client asked for after the authority: raw path (context path included) and query. */
    static String requestUri(HttpServletRequest request) {
        String query = request.getQueryString();
        return query == null ? request.getRequestURI() : request.getRequestURI() + "?" + query;
    }

    /** The client's {@code Host}; HTTP/2 clients send {@code :authority}, which the container exposes as server name and port. */
    static String host(HttpServletRequest request) {
        String host = request.getHeader("Host");
        if (host != null && !host.isEmpty()) {
            return host;
        }
        int port = request.getServerPort();
        String name = request.getServerName();
        String bracketed = name.indexOf(':') >= 0 && !name.startsWith("[") ? "[" + name + "]" : name;
        return port > 0 && port != defaultPort(request.getScheme()) ? bracketed + ":" + port : bracketed;
    }

    static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default -> -1;
        };
    }
}
