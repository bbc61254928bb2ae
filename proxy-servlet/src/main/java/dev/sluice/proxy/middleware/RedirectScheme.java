package dev.sluice.proxy.middleware;

import dev.sluice.proxy.service.ShortAnswers;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;

/**
 * {@code redirectScheme}, as Traefik does it: the URL the client used ({@code scheme://host[:port]/path?query})
 * is compared with the same URL on the configured scheme and port (default ports omitted on both
 * sides); if they differ, the client is redirected there. The client's scheme is the connection's,
 * or {@code X-Forwarded-Proto} ({@code ws}/{@code wss} read as http/https): untrusted peers' forwarded
 * headers are dropped before any middleware runs, so what is left here is trusted.
 */
public final class RedirectScheme implements Filter {
    private final String scheme;
    /** {@code ":8443"}, or empty for none or the scheme's default port. */
    private final String port;
    private final boolean permanent;

    public RedirectScheme(String scheme, String port, boolean permanent) {
        this.scheme = scheme;
        boolean none = port.isEmpty() || Integer.parseInt(port) == ClientUrl.defaultPort(scheme);
        this.port = none ? "" : ":" + port;
        this.permanent = permanent;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String current = clientScheme(request);
        String authority = ClientUrl.host(request);
        int colon = portColon(authority);
        String host = colon < 0 ? authority : authority.substring(0, colon);
        String clientPort = colon < 0 || authority.substring(colon + 1).equals(Integer.toString(ClientUrl.defaultPort(current)))
                ? "" : authority.substring(colon);
        String uri = ClientUrl.requestUri(request);
        String target = scheme + "://" + host + port + uri;
        if (target.equals(current + "://" + host + clientPort + uri)) {
            chain.doFilter(req, res);
        } else {
            ShortAnswers.redirect(request, (HttpServletResponse) res, target, permanent);
        }
    }

    private static String clientScheme(HttpServletRequest request) {
        String proto = request.getHeader("X-Forwarded-Proto");
        if (proto != null) {
            switch (proto.toLowerCase(Locale.ROOT)) {
                case "http", "ws" -> {
                    return "http";
                }
                case "https", "wss" -> {
                    return "https";
                }
                default -> {
                    // not a scheme this middleware knows: the connection's counts, as in Traefik
                }
            }
        }
        return request.isSecure() ? "https" : request.getScheme();
    }

    /** Index of the ':' before the port in {@code host:port} or {@code [v6]:port}, or -1. */
    private static int portColon(String authority) {
        int colon = authority.lastIndexOf(':');
        return colon > authority.lastIndexOf(']') ? colon : -1;
    }
}
