package dev.sluice.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The client side of the tests: the JDK's HTTP/1.1 client, bounded timeouts, no redirects. */
final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private Http() {}

    /** A response; {@link #echo()} reads a {@link Backend}'s {@code key: value} lines. */
    record Reply(int status, HttpResponse<byte[]> response) {
        String body() {
            return new String(response.body(), StandardCharsets.UTF_8);
        }

        byte[] bytes() {
            return response.body();
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        Map<String, String> echo() {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String line : body().split("\n")) {
                int colon = line.indexOf(": ");
                if (colon > 0) {
                    fields.put(line.substring(0, colon), line.substring(colon + 2));
                }
            }
            return fields;
        }

        /** The backend that answered. */
        String backend() {
            return echo().get("backend");
        }

        @Override
        public String toString() {
            return status + " " + body();
        }
    }

    /** An HTTPS client with this context (its trust, and the client certificate it may present). */
    static HttpClient tls(javax.net.ssl.SSLContext context) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .sslContext(context)
                .build();
    }

    static Reply get(URI uri, String... headers) throws IOException, InterruptedException {
        return get(CLIENT, uri, headers);
    }

    static Reply get(HttpClient client, URI uri, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15)).GET();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(client, request.build());
    }

    static Reply post(URI uri, byte[] body) throws IOException, InterruptedException {
        return send(CLIENT, HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private static Reply send(HttpClient client, HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(response.statusCode(), response);
    }
}
