package dev.sluice.proxy.servlet;

import dev.sluice.proxy.middleware.ModifiedRequest;
import dev.sluice.proxy.service.ForwardingPolicy;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The {@code X-Forwarded-*} headers, as Traefik sends them: what a trusted peer sent is kept (and
 * {@code X-Forwarded-For} appended to), what an untrusted peer sent is dropped on arrival — before
 * routing and middlewares, so that neither sees forged values — and rebuilt from the connection.
 */
final class ForwardedHeaders {
    static final String FOR = "X-Forwarded-For";
    static final String HOST = "X-Forwarded-Host";
    static final String PROTO = "X-Forwarded-Proto";
    static final String PORT = "X-Forwarded-Port";
    static final String SERVER = "X-Forwarded-Server";
    static final String PREFIX = "X-Forwarded-Prefix";
    static final String REAL_IP = "X-Real-Ip";

    /**
     * Every header a peer must be trusted to set. RFC 7239 {@code Forwarded} too: the proxy servlet
     * appends its own element to it, so a forged first element would pass for the client's address.
     */
    static final List<String> TRUST_REQUIRED = List.of(FOR, HOST, PROTO, PORT, SERVER, PREFIX, REAL_IP, "Forwarded");

    /** The same, lower case with '_' for '-': CGI-style upstreams (PHP-FPM, WSGI) read {@code X_Forwarded_For} as X-Forwarded-For. */
    private static final java.util.Set<String> UNDERSCORED = TRUST_REQUIRED.stream()
            .map(n -> n.toLowerCase(java.util.Locale.ROOT).replace('-', '_')).collect(java.util.stream.Collectors.toUnmodifiableSet());

    private static final String SERVER_NAME = localHostName();

    private ForwardedHeaders() {}

    /** {@code request} itself when it carries nothing to drop (the common case), else a view without them. */
    static HttpServletRequest dropUntrusted(HttpServletRequest request, ForwardingPolicy policy) {
        ModifiedRequest modified = null;
        for (String name : TRUST_REQUIRED) {
            if (request.getHeader(name) != null) {
                if (modified == null) {
                    if (trusted(request, policy)) {
                        return request;
                    }
                    modified = ModifiedRequest.of(request);
                }
                modified.hideHeader(name);
            }
        }
        // Their underscore spellings (nginx drops every such header by default; only these are dropped here).
        for (java.util.Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            if (name.indexOf('_') >= 0 && UNDERSCORED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                if (modified == null) {
                    if (trusted(request, policy)) {
                        return request;
                    }
                    modified = ModifiedRequest.of(request);
                }
                modified.hideHeader(name);
            }
        }
        return modified == null ? request : modified;
    }

    private static boolean trusted(HttpServletRequest request, ForwardingPolicy policy) {
        return policy.trustsAnybody() && policy.trusts(ServletRuleRequest.parseAddress(request.getRemoteAddr()));
    }

    /**
     * Sets the forwarded headers on the upstream request. {@code request} is the view after
     * {@link #dropUntrusted}: any {@code X-Forwarded-*} it still has came from a trusted peer or a
     * middleware.
     */
    static void addTo(HttpFields.Mutable headers, HttpServletRequest request) {
        String clientIp = stripBrackets(request.getRemoteAddr());
        String forwardedFor = request.getHeader(FOR);
        // Jetty's header constants where it has them: no name lookup per request.
        if (clientIp == null || clientIp.isEmpty()) {
            // A client on a unix-domain socket has no address: nothing to append, nothing to claim as the real IP.
            if (forwardedFor != null && !forwardedFor.isBlank()) {
                headers.put(HttpHeader.X_FORWARDED_FOR, forwardedFor);
            }
        } else {
            headers.put(HttpHeader.X_FORWARDED_FOR, forwardedFor == null || forwardedFor.isBlank() ? clientIp : forwardedFor + ", " + clientIp);
        }
        headers.put(HttpHeader.X_FORWARDED_HOST, orElse(request.getHeader(HOST), hostOf(request)));
        headers.put(HttpHeader.X_FORWARDED_PROTO, orElse(request.getHeader(PROTO), request.getScheme()));
        String port = request.getHeader(PORT);
        headers.put(HttpHeader.X_FORWARDED_PORT, port == null || port.isEmpty() ? portText(request.getServerPort()) : port);
        headers.put(HttpHeader.X_FORWARDED_SERVER, orElse(request.getHeader(SERVER), SERVER_NAME));
        String realIp = orElse(request.getHeader(REAL_IP), clientIp);
        if (realIp != null && !realIp.isEmpty()) {
            headers.put(REAL_IP, realIp);
        }
        // Under a context path (a WAR not at /) the upstream's links need that path in front too.
        String context = request.getContextPath();
        if (!context.isEmpty()) {
            String prefix = request.getHeader(PREFIX);
            headers.put(PREFIX, context + (prefix == null ? "" : prefix));
        }
    }

    /** The client's {@code Host}; HTTP/2 clients send {@code :authority} instead, which the container exposes as server name and port. */
    static String hostOf(HttpServletRequest request) {
        String host = request.getHeader("Host");
        if (host != null) {
            return host;
        }
        int port = request.getServerPort();
        boolean defaultPort = port <= 0 || (port == 80 && "http".equals(request.getScheme())) || (port == 443 && "https".equals(request.getScheme()));
        return defaultPort ? request.getServerName() : request.getServerName() + ":" + port;
    }

    /** The last port written, as text: an entry point's requests all have the same one. */
    private static volatile PortText lastPort = new PortText(-1, "-1");

    private record PortText(int port, String text) {}

    private static String portText(int port) {
        PortText last = lastPort;
        if (last.port() != port) {
            last = new PortText(port, Integer.toString(port));
            lastPort = last;
        }
        return last.text();
    }

    private static String orElse(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static String stripBrackets(String s) {
        return s != null && s.length() > 1 && s.charAt(0) == '[' && s.charAt(s.length() - 1) == ']' ? s.substring(1, s.length() - 1) : s;
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "sluice";
        }
    }
}
