package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code responseForwarding.flushInterval}: when bytes of a response with a declared length reach the
 * client. The backend sends 3 parts 700 ms apart; what differs is when the first part arrives.
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

    private static final String SLOW_KNOWN_LENGTH = "size=3000&chunks=3&gapMs=700&length=1";

    @Test
    void defaultIntervalFlushesAKnownLengthBodyWithin100Ms() throws Exception {
        start("");
        long millis = firstByteMillis(SLOW_KNOWN_LENGTH);
        assertTrue(millis < 600, "first part after " + millis + " ms; the next one is only sent at 700 ms");
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
        long millis = firstByteMillis(SLOW_KNOWN_LENGTH);
        assertTrue(millis < 600, "first part after " + millis + " ms");
    }

    @Test
    void streamingResponsesFlushAtOnceWhateverTheInterval() throws Exception {
        start("responseForwarding = {flushInterval = \"0s\"}");
        long millis = firstByteMillis("size=3000&chunks=3&gapMs=700");
        assertTrue(millis < 600, "a body without a declared length is flushed chunk by chunk; first part after " + millis + " ms");
    }
}
