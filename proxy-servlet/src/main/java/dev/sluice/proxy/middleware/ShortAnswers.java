package dev.sluice.proxy.middleware;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Responses a middleware gives by itself, without the upstream: short plain text, redirects. */
final class ShortAnswers {
    private ShortAnswers() {}

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
