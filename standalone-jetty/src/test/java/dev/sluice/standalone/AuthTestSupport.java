package dev.sluice.standalone;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** Shared by the auth middleware tests: a JDK client, requests with headers, a Sluice config around one middleware. */
final class AuthTestSupport {
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private AuthTestSupport() {}

    static HttpResponse<String> get(URI uri, String... headers) throws Exception {
        return send("GET", uri, null, headers);
    }

    static HttpResponse<String> send(String method, URI uri, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** One entry point, one router on {@code /} through middleware {@code auth} (whose table is {@code middleware}) to {@code backend}. */
    static String config(Backend backend, String middleware) {
        return """
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "s"
                middlewares = ["auth"]
                [http.services.s.loadBalancer]
                [[http.services.s.loadBalancer.servers]]
                url = "%s"
                """.formatted(backend.url()) + middleware;
    }

    /** TOML basic string of {@code value} (hashes hold {@code $} and {@code /}, never quotes). */
    static String toml(String value) {
        return "'" + value + "'";
    }
}
