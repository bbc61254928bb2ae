package dev.sluice.proxy.observe.accesslog;

import dev.sluice.proxy.service.Exchange;
import dev.sluice.proxy.service.Server;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import javax.net.ssl.SSLSession;

/**
 * What the access log reads of an exchange that is not one of {@link Exchange}'s own facts: the
 * request line, the client, TLS. During the observer's call only (the request is recycled after).
 */
final class ExchangeFacts {
    /** Where Jetty keeps a TLS request's session, and Tomcat its protocol version. */
    private static final String JETTY_SSL = "org.eclipse.jetty.io.Endpoint.SslSessionData";
    private static final String TOMCAT_PROTOCOL = "org.apache.tomcat.util.net.secure_protocol_version";
    private static final String CIPHER = "jakarta.servlet.request.cipher_suite";

    private ExchangeFacts() {}

    /** The path and query as the client sent them. */
    static String requestPath(HttpServletRequest request) {
        String query = request.getQueryString();
        return query == null ? request.getRequestURI() : request.getRequestURI() + "?" + query;
    }

    /**
     * The client's address: the peer's, or the first {@code X-Forwarded-For} entry when the entry
     * point trusts the peer's forwarded headers.
     */
    static String clientHost(Exchange exchange) {
        HttpServletRequest request = exchange.containerRequest();
        String peer = request.getRemoteAddr();
        if (exchange.forwarding().trustsAnybody()) {
            String forwarded = request.getHeader("X-Forwarded-For");
            if (forwarded != null && !forwarded.isBlank() && trusts(exchange, peer)) {
                int comma = forwarded.indexOf(',');
                return (comma < 0 ? forwarded : forwarded.substring(0, comma)).trim();
            }
        }
        return peer;
    }

    private static boolean trusts(Exchange exchange, String peer) {
        try {
            return exchange.forwarding().trusts(InetAddress.getByName(peer)); // a literal: no lookup
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The Host header, or HTTP/2's {@code :authority} (which the container turns into the server name and port). */
    static String authority(HttpServletRequest request) {
        String host = request.getHeader("Host");
        if (host != null && !host.isEmpty()) {
            return host;
        }
        String name = request.getServerName();
        return name == null ? null : name + ":" + request.getServerPort();
    }

    /** The host the request names, without its port. */
    static String requestHost(HttpServletRequest request) {
        String authority = authority(request);
        return authority == null ? null : hostPart(authority);
    }

    /** {@code host} of {@code host:port} or {@code [v6]:port}. */
    static String hostPart(String authority) {
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            return end < 0 ? authority : authority.substring(0, end + 1);
        }
        int colon = authority.lastIndexOf(':');
        return colon < 0 || authority.indexOf(':') != colon ? authority : authority.substring(0, colon);
    }

    /** The port of the Host header, {@code -} when it names none. */
    static String requestPort(HttpServletRequest request) {
        String host = authority(request);
        if (host == null) {
            return "-";
        }
        int colon = host.lastIndexOf(':');
        int bracket = host.lastIndexOf(']');
        return colon < 0 || colon < bracket || (bracket < 0 && host.indexOf(':') != colon) ? "-" : host.substring(colon + 1);
    }

    /** {@code host:port} of the server, or null. */
    static String serverAddress(Server server) {
        if (server == null) {
            return null;
        }
        URI uri = server.origin();
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return uri.getHost() == null ? server.url() : uri.getHost() + ":" + port;
    }

    /** {@code 1.3}, {@code 1.2}, ... as Traefik writes it; null over plain HTTP. */
    static String tlsVersion(HttpServletRequest request) {
        if (!request.isSecure()) {
            return null;
        }
        String protocol = null;
        Object jetty = request.getAttribute(JETTY_SSL);
        if (jetty instanceof org.eclipse.jetty.io.EndPoint.SslSessionData data && data.sslSession() != null) {
            SSLSession session = data.sslSession();
            protocol = session.getProtocol();
        } else if (request.getAttribute(TOMCAT_PROTOCOL) instanceof String tomcat) {
            protocol = tomcat;
        }
        if (protocol == null) {
            return null;
        }
        return protocol.startsWith("TLSv") ? protocol.substring(4) : protocol;
    }

    /** The cipher suite's name, null over plain HTTP. */
    static String tlsCipher(HttpServletRequest request) {
        return request.isSecure() && request.getAttribute(CIPHER) instanceof String cipher ? cipher : null;
    }

    /** The value of cookie {@code name}, or null. */
    static String cookie(HttpServletRequest request, String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie cookie : cookies) {
                if (cookie.getName().equals(name)) {
                    return cookie.getValue();
                }
            }
        }
        return null;
    }

    /** {@code user-agent} → {@code User-Agent}: Go's canonical form, as Traefik's JSON keys carry it. */
    static String canonical(String header) {
        StringBuilder out = new StringBuilder(header.length());
        boolean upper = true;
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            out.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return out.toString();
    }
}
