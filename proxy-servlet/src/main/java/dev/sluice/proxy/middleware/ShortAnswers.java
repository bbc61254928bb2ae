package dev.sluice.proxy.middleware;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Responses a middleware gives by itself, without the upstream: short plain text, redirects. */
final class ShortAnswers {
    private static final Map<Integer, String> STATUS_TEXT = Map.ofEntries(
            Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"), Map.entry(409, "Conflict"), Map.entry(410, "Gone"),
            Map.entry(413, "Request Entity Too Large"), Map.entry(418, "I'm a teapot"), Map.entry(429, "Too Many Requests"),
            Map.entry(451, "Unavailable For Legal Reasons"), Map.entry(500, "Internal Server Error"),
            Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"), Map.entry(504, "Gateway Timeout"));

    private ShortAnswers() {}

    /** A middleware's own short answer (403 from an allow list, 429, a breaker's 503): the status text, as Traefik. */
    static void status(HttpServletResponse response, int status) throws IOException {
        text(response, status, STATUS_TEXT.getOrDefault(status, Integer.toString(status)));
    }

    static void text(HttpServletResponse response, int status, String body) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain; charset=utf-8");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /**
     * Traefik's redirect: 302 for GET and 307 for any other method (which keeps method and body);
     * permanent: 301 and 308. The body is the status text, as Go writes it.
     */
    static void redirect(HttpServletRequest request, HttpServletResponse response, String location, boolean permanent) throws IOException {
        boolean get = "GET".equals(request.getMethod());
        int status = permanent ? (get ? 301 : 308) : (get ? 302 : 307);
        response.setHeader("Location", location);
        text(response, status, switch (status) {
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 307 -> "Temporary Redirect";
            default -> "Permanent Redirect";
        });
    }
}
