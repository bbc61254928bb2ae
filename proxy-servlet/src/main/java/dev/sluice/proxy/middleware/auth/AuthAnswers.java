package dev.sluice.proxy.middleware.auth;

import dev.sluice.proxy.middleware.ModifiedRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** What the auth middlewares answer by themselves, and how they pass an authenticated request on. */
final class AuthAnswers {
    private AuthAnswers() {}

    /** A short plain-text error, with {@code WWW-Authenticate} when {@code challenge} is not null. */
    static void send(HttpServletResponse response, int status, String challenge) throws IOException {
        response.getOutputStream().write(prepare(response, status, challenge));
    }

    /** Sets the status and headers of such an error; returns its body, for the caller to write. */
    static byte[] prepare(HttpServletResponse response, int status, String challenge) {
        response.reset();
        response.setStatus(status);
        if (challenge != null) {
            response.setHeader("WWW-Authenticate", challenge);
        }
        response.setContentType("text/plain; charset=utf-8");
        byte[] body = (status + " " + reason(status) + "\n").getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        return body;
    }

    private static String reason(int status) {
        return switch (status) {
            case 401 -> "Unauthorized";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "";
        };
    }

    /**
     * The request as it goes upstream once {@code user} is authenticated: the user name in
     * {@code headerField} if set, {@code Authorization} hidden if {@code removeHeader}.
     */
    static HttpServletRequest authenticated(HttpServletRequest request, String user, String headerField, boolean removeHeader) {
        dev.sluice.proxy.service.Exchange exchange = dev.sluice.proxy.service.Exchange.of(request);
        if (exchange != null) {
            exchange.authenticated(user);
        }
        if ((headerField == null || headerField.isEmpty()) && !removeHeader) {
            return request;
        }
        ModifiedRequest modified = ModifiedRequest.of(request);
        if (removeHeader) {
            modified.hideHeader("Authorization");
        }
        if (headerField != null && !headerField.isEmpty()) {
            modified.setHeader(headerField, user);
        }
        return modified;
    }

    /** The quoted-string form of {@code value} for a challenge parameter. */
    static String quoted(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
