package dev.sluice.proxy.middleware.auth;

import dev.sluice.proxy.service.HopByHop;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpFields;

/**
 * The headers forwardAuth sends to the auth server, as Traefik writes them: the client's headers
 * (without hop-by-hop ones, only {@code authRequestHeaders} if listed) plus {@code X-Forwarded-Method,
 * -Proto, -Host, -Uri, -For} describing the original request. With {@code trustForwardHeader} true the
 * client's own {@code X-Forwarded-*} win (and {@code X-Forwarded-For} is appended to); false drops them
 * first; unset is Traefik's legacy mode, which always overwrites them.
 */
final class AuthRequestHeaders {
    static final List<String> X_FORWARDED = List.of("X-Forwarded-Proto", "X-Forwarded-For", "X-Forwarded-Host",
            "X-Forwarded-Port", "X-Forwarded-Server", "X-Forwarded-Uri", "X-Forwarded-Method",
            "X-Forwarded-Tls-Client-Cert", "X-Forwarded-Tls-Client-Cert-Info");

    private AuthRequestHeaders() {}

    static HttpFields.Mutable of(HttpServletRequest request, Boolean trustForwardHeader, List<String> allowed) {
        HttpFields.Mutable headers = HttpFields.build();
        Set<String> connectionNamed = HopByHop.namedBy(request.getHeaders("Connection"));
        for (String name : Collections.list(request.getHeaderNames())) {
            boolean hop = HopByHop.drop(name, connectionNamed) && !"proxy-authorization".equalsIgnoreCase(name);
            // The body, if any, is set apart with its own length.
            boolean framing = "content-length".equalsIgnoreCase(name) || "expect".equalsIgnoreCase(name);
            if (!hop && !framing && (allowed.isEmpty() || containsIgnoreCase(allowed, name))) {
                for (String value : Collections.list(request.getHeaders(name))) {
                    headers.add(name, value);
                }
            }
        }
        String clientIp = stripBrackets(request.getRemoteAddr());
        String method = request.getMethod();
        String proto = request.isSecure() ? "https" : "http";
        String host = request.getHeader("Host") != null ? request.getHeader("Host") : request.getServerName();
        String uri = request.getQueryString() == null ? request.getRequestURI() : request.getRequestURI() + "?" + request.getQueryString();
        if (trustForwardHeader == null) {
            headers.put("X-Forwarded-For", clientIp);
            headers.put("X-Forwarded-Proto", proto);
            headers.put("X-Forwarded-Method", method);
            headers.put("X-Forwarded-Host", host);
            headers.put("X-Forwarded-Uri", uri);
            return headers;
        }
        if (!trustForwardHeader) {
            X_FORWARDED.forEach(headers::remove);
        }
        String prior = headers.get("X-Forwarded-For");
        headers.put("X-Forwarded-For", prior == null ? clientIp : prior + ", " + clientIp);
        putIfAbsent(headers, "X-Forwarded-Method", method);
        putIfAbsent(headers, "X-Forwarded-Proto", proto);
        putIfAbsent(headers, "X-Forwarded-Port", port(host, headers.get("X-Forwarded-Proto"), request.isSecure()));
        putIfAbsent(headers, "X-Forwarded-Host", host);
        putIfAbsent(headers, "X-Forwarded-Uri", uri);
        return headers;
    }

    private static void putIfAbsent(HttpFields.Mutable headers, String name, String value) {
        if (!headers.contains(name)) {
            headers.put(name, value);
        }
    }

    private static String port(String host, String proto, boolean secure) {
        int colon = host.lastIndexOf(':');
        if (colon > 0 && colon > host.lastIndexOf(']')) {
            return host.substring(colon + 1);
        }
        return "https".equals(proto) || "wss".equals(proto) || secure ? "443" : "80";
    }

    private static boolean containsIgnoreCase(List<String> names, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return names.stream().anyMatch(n -> n.toLowerCase(Locale.ROOT).equals(lower));
    }

    private static String stripBrackets(String address) {
        return address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
    }
}
