package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code forwardingTimeouts.readIdleTimeout} / {@code pingTimeout} on h2c upstream connections. */
class Http2PingTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Sluice sluice;
    private Backend backend;

    @AfterEach
    void stop() throws Exception {
        if (sluice != null) {
            sluice.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private void start(String upstream) throws Exception {
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "s"
                [http.services.s.loadBalancer]
                serversTransport = "pinging"
                [[http.services.s.loadBalancer.servers]]
                url = "%s"
                [http.serversTransports.pinging.forwardingTimeouts]
                readIdleTimeout = "500ms"
                pingTimeout = "500ms"
                """.formatted(upstream));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(sluice.uri("web", path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSilentPeerIsDetectedByAnUnansweredPing() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread peer = new Thread(() -> acceptAndGoSilent(silent), "silent-h2-peer");
            peer.setDaemon(true);
            peer.start();
            start("h2c://127.0.0.1:" + silent.getLocalPort());
            long begin = System.nanoTime();
            HttpResponse<String> response = get("/");
            long millis = (System.nanoTime() - begin) / 1_000_000;
            assertEquals(502, response.statusCode(), response.body());
            assertTrue(millis >= 900 && millis < 5000, "idle 500 ms + unanswered ping 500 ms, then closed; took " + millis + " ms");
        }
    }

    @Test
    void aLivePeerAnswersPingsAndSlowResponsesComplete() throws Exception {
        backend = new Backend("b");
        start("h2c://127.0.0.1:" + backend.port());
        HttpResponse<String> response = get("/slow?ms=2500");
        assertEquals(200, response.statusCode());
        assertEquals("slow", response.body(), "silent for 2.5 s, pinged several times, answered each time");
    }

    /** Speaks just enough HTTP/2 to be taken for a server (its SETTINGS and an ack), then never answers again. */
    private static void acceptAndGoSilent(ServerSocket server) {
        try (Socket socket = server.accept()) {
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0}); // SETTINGS, empty
            out.write(new byte[] {0, 0, 0, 4, 1, 0, 0, 0, 0}); // SETTINGS ack
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] sink = new byte[4096];
            while (in.read(sink) >= 0) {
                // read and ignore everything, pings included, until the proxy closes the connection
            }
        } catch (Exception ignored) {
            // the test is over
        }
    }
}
