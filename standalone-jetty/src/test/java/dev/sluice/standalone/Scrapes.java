package dev.sluice.standalone;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Test helper: scrapes a metrics endpoint over HTTP with the JDK client and parses the text. */
final class Scrapes implements AutoCloseable {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI uri;

    private Scrapes(URI uri) {
        this.uri = uri;
    }

    /** Scrapes {@code uri}. */
    static Scrapes of(URI uri) {
        return new Scrapes(uri);
    }

    MetricsText scrape() throws Exception {
        return MetricsText.parse(get(null).body());
    }

    HttpResponse<String> get(String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        if (accept != null) {
            request.header("Accept", accept);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("scrape of " + uri + " answered " + response.statusCode() + ": " + response.body());
        }
        return response;
    }

    /** Nothing to release on Java 17 (its HttpClient has no close); kept so tests can hold it in try-with-resources. */
    @Override
    public void close() {}
}
