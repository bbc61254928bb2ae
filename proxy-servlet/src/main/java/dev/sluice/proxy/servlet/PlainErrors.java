package dev.sluice.proxy.servlet;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The short plain-text error bodies clients see; never a stack trace, never a container page. */
final class PlainErrors {
    private PlainErrors() {}

    static String body(int status) {
        return switch (status) {
            case 400 -> "400 Bad Request\n";
            case 404 -> "404 page not found\n"; // Traefik's words, which scripts already grep for
            case 502 -> "502 Bad Gateway\n";
            case 503 -> "503 Service Unavailable\n";
            case 504 -> "504 Gateway Timeout\n";
            default -> status + "\n";
        };
    }

    /** Writes the error if nothing was committed yet; returns false if it was too late. */
    static boolean send(HttpServletResponse response, int status) throws IOException {
        if (response.isCommitted()) {
            return false;
        }
        response.reset();
        response.setStatus(status);
        response.setContentType("text/plain; charset=utf-8");
        byte[] bytes = body(status).getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
        return true;
    }
}
