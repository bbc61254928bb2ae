package dev.sluice.proxy.service;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;

/**
 * Which requests ask to switch protocols (RFC 9110 §7.8): an HTTP/1.1 request with an
 * {@code Upgrade} header that its {@code Connection} header names. Such an exchange becomes a
 * tunnel once the server answers 101, so the middlewares that replay, copy, buffer or rewrite
 * bodies (retry, mirroring, buffering, compress) leave it alone.
 */
public final class Upgrades {
    private Upgrades() {}

    /** True when {@code request} asks for an upgrade that Sluice forwards as a tunnel. */
    public static boolean requested(ServletRequest req) {
        if (!(req instanceof HttpServletRequest request)) {
            return false;
        }
        String upgrade = request.getHeader("Upgrade");
        if (upgrade == null || upgrade.isBlank() || !"HTTP/1.1".equals(request.getProtocol())
                || request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null) {
            return false; // a request body would have to be sent before the switch: not a tunnel Sluice opens
        }
        if (upgrade.trim().equalsIgnoreCase("h2c")) {
            // HTTP/2 asked of this hop, not of the server (the JDK's HttpClient asks it on every plain
            // request): the container takes it or answers in HTTP/1.1, as RFC 9113 lets servers ignore it.
            return false;
        }
        for (Enumeration<String> values = request.getHeaders("Connection"); values.hasMoreElements(); ) {
            if (namesUpgrade(values.nextElement())) {
                return true;
            }
        }
        return false;
    }

    /** True for an upgrade to WebSocket: the forwarded scheme is then {@code ws} or {@code wss}. */
    public static boolean isWebSocket(HttpServletRequest request) {
        String upgrade = request.getHeader("Upgrade");
        return upgrade != null && upgrade.trim().regionMatches(true, 0, "websocket", 0, 9);
    }

    private static boolean namesUpgrade(String connection) {
        int from = 0;
        while (from <= connection.length()) {
            int comma = connection.indexOf(',', from);
            int to = comma < 0 ? connection.length() : comma;
            if (connection.substring(from, to).trim().equalsIgnoreCase("upgrade")) {
                return true;
            }
            from = to + 1;
        }
        return false;
    }
}
