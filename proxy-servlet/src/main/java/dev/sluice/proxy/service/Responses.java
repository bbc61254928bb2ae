package dev.sluice.proxy.service;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Small bodiless or plain-text responses, finished the same way whether or not async started. */
final class Responses {
    private Responses() {}

    /** A short plain-text answer; the text never contains request data or exception details. */
    static void text(HttpServletRequest request, HttpServletResponse response, int status, String text)
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
        finish(request);
    }

    /** A status with an empty body (304 keeps no Content-Length: it describes the full file). */
    static void empty(HttpServletRequest request, HttpServletResponse response, int status) {
        response.setStatus(status);
        if (status != HttpServletResponse.SC_NOT_MODIFIED) {
            response.setContentLength(0);
        }
        finish(request);
    }

    /**
     * Ends the exchange when it is in async mode. A caller that started async before handing
     * the request to us relies on us to complete it, exactly as when we start it ourselves.
     */
    static void finish(HttpServletRequest request) {
        if (request.isAsyncStarted()) {
            request.getAsyncContext().complete();
        }
    }

    static boolean isHead(HttpServletRequest request) {
        return "HEAD".equals(request.getMethod());
    }
}
