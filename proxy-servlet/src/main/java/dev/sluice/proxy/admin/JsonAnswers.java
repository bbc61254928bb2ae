package dev.sluice.proxy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** The API's answers: JSON with a {@code Content-Length}, no body for HEAD; errors as Traefik's {@code {"message": "..."}}. */
final class JsonAnswers {
    private JsonAnswers() {}

    static void write(HttpServletRequest request, HttpServletResponse response, int status, JsonNode body) throws IOException {
        byte[] bytes = ApiService.JSON.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setHeader("X-Content-Type-Options", "nosniff");
        // Configuration may change between two reads: never cached.
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(bytes.length + 1);
        if (!"HEAD".equals(request.getMethod())) {
            // Go's json.Encoder ends every document with a newline; so does Sluice.
            response.getOutputStream().write(bytes);
            response.getOutputStream().write('\n');
        }
    }

    static void error(HttpServletRequest request, HttpServletResponse response, int status, String message) throws IOException {
        write(request, response, status, ApiService.JSON.createObjectNode().put("message", message));
    }
}
