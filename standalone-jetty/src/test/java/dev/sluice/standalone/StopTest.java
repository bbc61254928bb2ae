package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.config.ConfigLoader;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The two ways to stop in process: {@link EmbeddedServer#close()} drains a request in flight within
 * {@code graceTimeOut} (what SIGTERM does, also tested on the jar in LifecycleIT), and
 * {@link EmbeddedServer#closeNow()}, which the tests use, cuts it at once.
 */
class StopTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Backend backend;
    private EmbeddedServer sluice;

    @BeforeEach
    void start() throws Exception {
        backend = new Backend("b");
        sluice = EmbeddedServer.start(ConfigLoader.parse("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [entryPoints.web.transport.lifeCycle]
                graceTimeOut = "20s"
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "s"
                [http.services.s.loadBalancer]
                servers = [{url = "%s"}]
                """.formatted(backend.url()), "stop.toml"));
    }

    @AfterEach
    void stop() throws Exception {
        backend.close(); // releases a held answer
        if (sluice != null) {
            sluice.closeNow();
        }
    }

    /** A request under way: /hold has sent its headers and 64 KiB, and waits for {@link Backend#release()}. */
    private HttpResponse<InputStream> holding() throws Exception {
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + sluice.port("web") + "/hold")).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        return response;
    }

    private boolean refusesConnections(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return false;
        } catch (ConnectException refused) {
            return true;
        } catch (Exception other) {
            return false;
        }
    }

    @Test
    void closeDrainsTheRequestInFlight() throws Exception {
        int port = sluice.port("web");
        HttpResponse<InputStream> held = holding();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> {
            try {
                sluice.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Awaitility.await("the listener closed").atMost(Duration.ofSeconds(10)).until(() -> refusesConnections(port));
        assertFalse(closing.isDone(), "still draining the request in flight");
        backend.release();
        try (InputStream body = held.body()) {
            assertEquals(128 * 1024, body.readAllBytes().length, "the request in flight completed");
        }
        closing.get(15, TimeUnit.SECONDS);
        sluice = null;
    }

    @Test
    void closeNowCutsTheRequestInFlightAtOnce() throws Exception {
        HttpResponse<InputStream> held = holding();
        long start = System.nanoTime();
        sluice.closeNow();
        sluice = null;
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 5_000, "did not wait for the 20 s grace: " + millis + " ms");
        try (InputStream body = held.body()) {
            assertThrows(java.io.IOException.class, body::readAllBytes, "the answer was cut");
        }
    }
}
