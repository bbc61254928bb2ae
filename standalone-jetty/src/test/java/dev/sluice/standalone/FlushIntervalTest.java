package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code responseForwarding.flushInterval}: when bytes of a response with a declared length reach the
 * client: whether the first of 3 parts arrives while the backend holds back the rest (and, with no
 * periodic flush, that it waits for the end: a lower bound on time, which load cannot break).
 */
class FlushIntervalTest {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Backend backend;
    private Sluice sluice;

    @AfterEach
    void stop() throws Exception {
        if (sluice != null) {
            sluice.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private void start(String responseForwarding) throws Exception {
        backend = new Backend("b");
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "s"
                [http.services.s.loadBalancer]
                %s
                [[http.services.s.loadBalancer.servers]]
                url = "%s"
                """.formatted(responseForwarding, backend.url()));
    }

    /** Milliseconds from sending the request to reading the first body byte; the whole body is checked. */
    private long firstByteMillis(String query) throws Exception {
        long start = System.nanoTime();
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(sluice.uri("web", "/respond?" + query)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            int first = body.read();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals('x', first);
            assertEquals(2999, body.readAllBytes().length);
            return millis;
        }
    }

    /**
     * The backend sends the first of 3 parts, then holds the rest until {@link Backend#release()}: the
     * first byte reaches the client only if the proxy flushed that part on its own. The whole body is checked.
     */
    private void assertFirstPartComesWhileTheRestIsHeld(String query, String why) throws Exception {
        HttpResponse<InputStream> response = client.sendAsync(HttpRequest.newBuilder(sluice.uri("web", "/respond?" + query + "&hold=1")).build(),
                HttpResponse.BodyHandlers.ofInputStream()).get(10, TimeUnit.SECONDS);
        try (InputStream body = response.body()) {
            CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return body.read();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try {
                assertEquals('x', first.get(10, TimeUnit.SECONDS), why);
            } catch (TimeoutException e) {
                throw new AssertionError("the first part never came while the rest was held: " + why, e);
            }
            backend.release();
            assertEquals(2999, body.readAllBytes().length);
        }
    }

    private static final String SLOW_KNOWN_LENGTH = "size=3000&chunks=3&gapMs=700&length=1";

    @Test
    void defaultIntervalFlushesAKnownLengthBodyWithin100Ms() throws Exception {
        start("");
        assertFirstPartComesWhileTheRestIsHeld("size=3000&chunks=3&length=1", "flushed by the 100 ms default interval");
    }

    @Test
    void zeroIntervalHoldsSmallWritesUntilTheEnd() throws Exception {
        start("responseForwarding = {flushInterval = \"0s\"}");
        long millis = firstByteMillis(SLOW_KNOWN_LENGTH);
        assertTrue(millis >= 1300, "with no periodic flush the parts wait in the buffer until the body ends; got " + millis + " ms");
    }

    @Test
    void negativeIntervalFlushesEveryWrite() throws Exception {
        start("responseForwarding = {flushInterval = \"-1ms\"}");
        assertFirstPartComesWhileTheRestIsHeld("size=3000&chunks=3&length=1", "flushed after every write");
    }

    @Test
    void streamingResponsesFlushAtOnceWhateverTheInterval() throws Exception {
        start("responseForwarding = {flushInterval = \"0s\"}");
        assertFirstPartComesWhileTheRestIsHeld("size=3000&chunks=3", "a body without a declared length is flushed chunk by chunk");
    }
}
