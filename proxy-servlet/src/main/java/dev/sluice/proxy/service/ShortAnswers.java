package dev.sluice.proxy.service;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Every answer Sluice gives by itself, without an upstream: its own errors, a middleware's refusal,
 * a redirect, a static site's short answers. Plain text that never contains request data or
 * exception details, {@code nosniff}, a {@code Content-Length}, and no body for {@code HEAD}.
 */
public final class ShortAnswers {
    private static final Map<Integer, String> STATUS_TEXT = Map.ofEntries(
            Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"), Map.entry(409, "Conflict"), Map.entry(410, "Gone"),
            Map.entry(413, "Request Entity Too Large"), Map.entry(418, "I'm a teapot"), Map.entry(429, "Too Many Requests"),
            Map.entry(451, "Unavailable For Legal Reasons"), Map.entry(500, "Internal Server Error"),
            Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"), Map.entry(504, "Gateway Timeout"));

    private ShortAnswers() {}

    /**
     * Sluice's own error (no router matched, no server, the upstream failed), in Traefik's words,
     * which scripts already grep for ({@code 404 page not found}); whatever was prepared is reset.
     * Returns false if it was too late: part of an answer went out already.
     */
    public static boolean error(HttpServletRequest request, HttpServletResponse response, int status) throws IOException {
        if (response.isCommitted()) {
            return false;
        }
        response.reset();
        text(request, response, status, switch (status) {
            case 404 -> "404 page not found\n";
            case 400, 502, 503, 504 -> status + " " + STATUS_TEXT.get(status) + "\n";
            default -> status + "\n";
        });
        return true;
    }

    /** A middleware's own answer (403 from an allow list, 429, a breaker's 503): the status text, as Traefik. */
    public static void status(HttpServletRequest request, HttpServletResponse response, int status) throws IOException {
        text(request, response, status, STATUS_TEXT.getOrDefault(status, Integer.toString(status)));
    }

    public static void text(HttpServletRequest request, HttpServletResponse response, int status, String text)
            throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("text/plain; charset=utf-8");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(body.length);
        if (!isHead(request)) {
            // A few bytes fit the response buffer, so this blocking write never waits on the client.
            response.getOutputStream().write(body);
        }
    }

    /** A status with an empty body (304 keeps no Content-Length: it describes the full representation). */
    public static void empty(HttpServletResponse response, int status) {
        response.setStatus(status);
        if (status != HttpServletResponse.SC_NOT_MODIFIED) {
            response.setContentLength(0);
        }
    }

    /**
     * Traefik's redirect: 302 for GET and 307 for any other method (which keeps method and body);
     * permanent: 301 and 308. The body is the status text, as Go writes it.
     */
    public static void redirect(HttpServletRequest request, HttpServletResponse response, String location, boolean permanent)
            throws IOException {
        boolean get = "GET".equals(request.getMethod());
        int status = permanent ? (get ? 301 : 308) : (get ? 302 : 307);
        response.setHeader("Location", location);
        text(request, response, status, switch (status) {
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 307 -> "Temporary Redirect";
            default -> "Permanent Redirect";
        });
    }

    /**
     * Ends the exchange when it is in async mode, as the end of the dispatch would otherwise: a
     * caller that started async before handing the request on relies on whoever answers to complete it.
     */
    public static void complete(HttpServletRequest request) {
        if (request.isAsyncStarted()) {
            request.getAsyncContext().complete();
        }
    }

    public static boolean isHead(HttpServletRequest request) {
        return "HEAD".equals(request.getMethod());
    }
}
