package dev.sluice.proxy.observe.metrics;

import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jetty.io.EndPoint;

/**
 * The {@code method} and {@code protocol} labels of a request, as Traefik gives them, each one of a
 * few constants so that label children can be kept in arrays: an unknown method is
 * {@code EXTENSION_METHOD} (a client must not grow the series without bound).
 */
final class RequestLabels {
    static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE", "PRI",
        "EXTENSION_METHOD"};
    static final String[] PROTOCOLS = {"http", "websocket", "sse", "grpc-web", "grpc"};
    private static final int HTTP = 0;
    private static final int WEBSOCKET = 1;
    private static final int SSE = 2;
    private static final int GRPC_WEB = 3;
    private static final int GRPC = 4;
    private static final String TOMCAT_PROTOCOL = "org.apache.tomcat.util.net.secure_protocol_version";

    private RequestLabels() {}

    /** The index of {@code method} in {@link #METHODS}. */
    static int method(String method) {
        return switch (method) {
            case "GET" -> 0;
            case "HEAD" -> 1;
            case "POST" -> 2;
            case "PUT" -> 3;
            case "DELETE" -> 4;
            case "PATCH" -> 5;
            case "OPTIONS" -> 6;
            case "CONNECT" -> 7;
            case "TRACE" -> 8;
            case "PRI" -> 9;
            default -> 10;
        };
    }

    /** The index in {@link #PROTOCOLS}, tested in Traefik's order: websocket, SSE, gRPC-Web, gRPC, else http. */
    static int protocol(HttpServletRequest request) {
        String upgrade = request.getHeader("Upgrade");
        if (upgrade != null && hasToken(upgrade, "websocket") && hasToken(request.getHeader("Connection"), "upgrade")) {
            return WEBSOCKET;
        }
        if (hasToken(request.getHeader("Accept"), "text/event-stream")) {
            return SSE;
        }
        String type = request.getContentType();
        if (type != null && type.regionMatches(true, 0, "application/grpc", 0, 16)) {
            return type.regionMatches(true, 16, "-web", 0, 4) ? GRPC_WEB : GRPC;
        }
        return HTTP;
    }

    /**
     * The {@code tls_version} label of a request that came over TLS, as Traefik writes it ({@code 1.3}),
     * from Jetty's session data or Tomcat's attribute; empty when the container tells neither.
     */
    static String tlsVersion(HttpServletRequest request) {
        Object data = request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
        String protocol = null;
        if (data instanceof EndPoint.SslSessionData session && session.sslSession() != null) {
            protocol = session.sslSession().getProtocol();
        } else if (request.getAttribute(TOMCAT_PROTOCOL) instanceof String tomcat) {
            protocol = tomcat;
        }
        if (protocol == null) {
            return "";
        }
        return switch (protocol) {
            case "TLSv1.3" -> "1.3";
            case "TLSv1.2" -> "1.2";
            case "TLSv1.1" -> "1.1";
            case "TLSv1" -> "1.0";
            default -> protocol;
        };
    }

    /** The {@code tls_cipher} label: the cipher suite's IANA name (Go's names are the same), empty if unknown. */
    static String tlsCipher(HttpServletRequest request) {
        Object cipher = request.getAttribute("jakarta.servlet.request.cipher_suite");
        return cipher instanceof String name ? name : "";
    }

    /** True if the comma-separated {@code header} has {@code token} as one element, ignoring case and spaces; allocates nothing. */
    static boolean hasToken(String header, String token) {
        if (header == null) {
            return false;
        }
        int length = header.length();
        int start = 0;
        while (start <= length) {
            int end = header.indexOf(',', start);
            if (end < 0) {
                end = length;
            }
            int from = start;
            int to = end;
            while (from < to && header.charAt(from) == ' ') {
                from++;
            }
            while (to > from && header.charAt(to - 1) == ' ') {
                to--;
            }
            if (to - from == token.length() && header.regionMatches(true, from, token, 0, token.length())) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }
}
