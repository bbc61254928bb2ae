package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.RefusingPort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy on the wire: streaming both ways, error mapping, malformed input, protocol corners
 * (100-continue, HTTP/1.0, trailers, h2c), with raw sockets where a polite client would hide it.
 */
class WireTest {
    private final HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Backend backend;
    private Sluice sluice;
    private org.eclipse.jetty.client.HttpClient jetty;
    private RefusingPort dead;

    @AfterEach
    void stop() throws Exception {
        if (jetty != null) {
            jetty.stop();
        }
        if (sluice != null) {
            sluice.close();
        }
        if (backend != null) {
            backend.close();
        }
        if (dead != null) {
            dead.close();
        }
    }

    private void start(String extra) throws Exception {
        backend = new Backend("up");
        sluice = Sluice.start(ProxyTest.oneService(backend.url(), extra));
    }

    private org.eclipse.jetty.client.HttpClient jetty(boolean http2) throws Exception {
        jetty = http2 ? new org.eclipse.jetty.client.HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client()))
                : new org.eclipse.jetty.client.HttpClient(new HttpClientTransportOverHTTP());
        jetty.start();
        return jetty;
    }

    @Test
    void largeDownloadIsStreamedNotBuffered() throws Exception {
        start("");
        // /hold sends 64 KiB and then waits: the client must see those bytes while the upstream is still busy.
        HttpResponse<InputStream> held = jdk.send(HttpRequest.newBuilder(sluice.uri("web", "/hold")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, held.statusCode());
        try (InputStream body = held.body()) {
            long start = System.nanoTime();
            assertEquals(64 * 1024, body.readNBytes(64 * 1024).length);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "first bytes arrived before the upstream finished");
            backend.release();
            assertEquals(64 * 1024, body.readAllBytes().length);
        }

        // 10 MB through a 512 MiB-heap JVM with a pattern check: nothing lost, nothing reordered.
        long size = 10L * 1024 * 1024;
        HttpResponse<InputStream> big = jdk.send(HttpRequest.newBuilder(sluice.uri("web", "/bytes?n=" + size)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long read = 0;
        try (InputStream in = big.body()) {
            byte[] buffer = new byte[65536];
            for (int r; (r = in.read(buffer)) >= 0; ) {
                for (int i = 0; i < r; i++) {
                    if (buffer[i] != (byte) ((read + i) % 251)) {
                        throw new AssertionError("byte " + (read + i) + " differs");
                    }
                }
                read += r;
            }
        }
        assertEquals(size, read);
    }

    @Test
    void serverSentEventsArriveAsTheyAreSent() throws Exception {
        start("");
        HttpResponse<java.io.InputStream> events = jdk.send(HttpRequest.newBuilder(sluice.uri("web", "/sse")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals("text/event-stream", events.headers().firstValue("Content-Type").orElse(""));
        // Without a flush per chunk the first event would wait for the last, which waits for it.
        try (var body = events.body()) {
            ServerSentEvents.readAll(body, backend);
        }
    }

    @Test
    void maxIdleConnsPerHostClosesConnectionsBeyondTheCap() throws Exception {
        backend = new Backend("up");
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.capped]
                rule = "PathPrefix(`/capped`)"
                service = "capped"
                [http.routers.free]
                rule = "PathPrefix(`/free`)"
                service = "free"
                [http.services.capped.loadBalancer]
                serversTransport = "capped"
                servers = [{url = "%1$s"}]
                [http.services.free.loadBalancer]
                serversTransport = "free"
                servers = [{url = "%1$s"}]
                [http.serversTransports.capped]
                maxIdleConnsPerHost = 1
                [http.serversTransports.free]
                """.formatted(backend.url()));
        backend.delay(300); // six requests at once need six upstream connections
        for (String transport : new String[] {"capped", "free"}) {
            var inFlight = new java.util.ArrayList<java.util.concurrent.CompletableFuture<HttpResponse<String>>>();
            for (int i = 0; i < 6; i++) {
                inFlight.add(jdk.sendAsync(HttpRequest.newBuilder(sluice.uri("web", "/" + transport)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (var response : inFlight) {
                assertEquals(200, response.get(10, TimeUnit.SECONDS).statusCode());
            }
        }
        // The answers can reach the client before their upstream connections are released (and the
        // ones beyond the cap closed): wait for the pool to settle.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> idleConnections("capped") <= 1);
        assertEquals(1, idleConnections("capped"), "the capped pool keeps one idle connection");
        // Without a cap the pool keeps what it opened (about six; the client may open one more or one
        // fewer under load), which is what shows the capped pool closed the rest.
        int free = idleConnections("free");
        assertTrue(free >= 4, "without a cap the connections stay for reuse, got " + free);
    }

    /** Idle upstream connections of {@code transport}, whichever engine holds them (Jetty's client or the lean one). */
    private int idleConnections(String transport) {
        var client = sluice.server.runtime().clients().get(transport);
        var lean = dev.sluice.proxy.transport.LeanUpstream.of(client);
        return client.getDestinations().stream()
                .mapToInt(d -> ((org.eclipse.jetty.client.AbstractConnectionPool) d.getConnectionPool()).getIdleConnectionCount()).sum()
                + (lean == null ? 0 : lean.idleConnections());
    }

    @Test
    void brokenUpstreamsGive502() throws Exception {
        try (RawUpstream garbage = new RawUpstream(socket -> socket.getOutputStream().write("NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
                RawUpstream reset = new RawUpstream(socket -> socket.setSoLinger(true, 0))) {
            sluice = Sluice.start("""
                    [entryPoints.web]
                    address = "127.0.0.1:0"
                    [http.routers.garbage]
                    rule = "PathPrefix(`/garbage`)"
                    service = "garbage"
                    [http.routers.reset]
                    rule = "PathPrefix(`/reset`)"
                    service = "reset"
                    [http.services.garbage.loadBalancer]
                    servers = [{url = "http://127.0.0.1:%d"}]
                    [http.services.reset.loadBalancer]
                    servers = [{url = "http://127.0.0.1:%d"}]
                    """.formatted(garbage.port(), reset.port()));
            assertError(502, "/garbage");
            assertError(502, "/reset");
        }
    }

    @Test
    void uploadsStreamWithLengthOrChunked() throws Exception {
        start("");
        byte[] payload = new byte[3 * 1024 * 1024];
        new Random(42).nextBytes(payload);
        String expected = "bytes=" + payload.length + " sha256=" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));

        HttpResponse<String> fixed = jdk.send(HttpRequest.newBuilder(sluice.uri("web", "/upload"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, fixed.body());
        assertEquals(String.valueOf(payload.length), backend.take().headers().get("Content-Length"));

        HttpResponse<String> chunked = jdk.send(HttpRequest.newBuilder(sluice.uri("web", "/upload"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(payload))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, chunked.body());
    }

    @Test
    void errorsAreShortPlainTextWithTheRightStatus() throws Exception {
        backend = new Backend("up");
        dead = new RefusingPort();
        String deadUrl = dead.url();
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.dead]
                rule = "PathPrefix(`/dead`)"
                service = "dead"
                [http.routers.empty]
                rule = "PathPrefix(`/empty`)"
                service = "empty"
                [http.routers.zero]
                rule = "PathPrefix(`/zero`)"
                service = "zero"
                [http.routers.slow]
                rule = "PathPrefix(`/slow`)"
                service = "slow"
                [http.services.dead.loadBalancer]
                servers = [{url = "%s"}]
                [http.services.empty.loadBalancer]
                servers = []
                [http.services.zero.loadBalancer]
                servers = [{url = "%s", weight = 0}]
                [http.services.slow.loadBalancer]
                serversTransport = "impatient"
                servers = [{url = "%s"}]
                [http.serversTransports.impatient.forwardingTimeouts]
                responseHeaderTimeout = "300ms"
                """.formatted(deadUrl, backend.url(), backend.url()));
        assertError(404, "/nothing-here");
        assertError(502, "/dead");
        assertError(503, "/empty");
        assertError(503, "/zero");
        long start = System.nanoTime();
        assertError(504, "/slow?ms=3000");
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "timed out after ~300ms, not after the upstream answered");
        // The proxy is still fine afterwards.
        assertEquals(200, jdk.send(HttpRequest.newBuilder(sluice.uri("web", "/slow?ms=10")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    private void assertError(int status, String path) throws Exception {
        HttpResponse<String> response = jdk.send(HttpRequest.newBuilder(sluice.uri("web", path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(status, response.statusCode(), path);
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), path);
        assertTrue(response.body().startsWith(String.valueOf(status)) && response.body().length() < 64, path + ": " + response.body());
    }

    @Test
    void upstreamDyingMidBodyAbortsTheClientConnection() throws Exception {
        start("");
        jetty(false);
        for (String path : new String[] {"/die", "/die?length"}) {
            InputStreamResponseListener listener = new InputStreamResponseListener();
            jetty.newRequest(sluice.uri("web", path)).send(listener);
            assertEquals(200, listener.get(5, TimeUnit.SECONDS).getStatus());
            InputStream body = listener.getInputStream();
            assertThrows(IOException.class, body::readAllBytes, path + ": a truncated body must not look complete");
        }
    }

    @Test
    void malformedRequestsGet400AndDoNotHurtTheNextClient() throws Exception {
        start("");
        for (String garbage : new String[] {
                "GET / HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello",
                "GET /\u0001 HTTP/1.1\r\nHost: x\r\n\r\n",
                "BLAH\r\n\r\n"}) {
            String response = raw(garbage);
            assertTrue(response.startsWith("HTTP/1.1 400"), garbage + " -> " + response);
        }
        assertEquals(0, backend.received(), "nothing malformed reached the upstream");
        assertEquals("up", jdk.send(HttpRequest.newBuilder(sluice.uri("web", "/")).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void expectContinueAndHttp10() throws Exception {
        start("");
        try (Socket socket = new Socket("127.0.0.1", sluice.port("web"))) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String interim = readHead(in);
            assertTrue(interim.startsWith("HTTP/1.1 100"), interim);
            out.write("hello".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
        }
        String response = raw("GET / HTTP/1.0\r\n\r\n");
        assertTrue(response.matches("(?s)HTTP/1\\.[01] 200.*\r\n\r\nup"), response);
        assertEquals("HTTP/1.1", backend.take().version(), "upstream requests are HTTP/1.1 whatever the client spoke");
    }

    @Test
    void trailersTravelBothWays() throws Exception {
        start("");
        Request request = jetty(false).newRequest(sluice.uri("web", "/upload")).method("POST")
                .body(new org.eclipse.jetty.client.AsyncRequestContent(java.nio.ByteBuffer.wrap("abc".getBytes(StandardCharsets.UTF_8))) {
                    { close(); }
                })
                .trailersSupplier(() -> HttpFields.build().put("X-Request-Trailer", "done"));
        ContentResponse response = request.send();
        assertEquals("bytes=3 sha256=ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", response.getContentAsString());
        HttpFields seen = backend.take().trailers();
        assertEquals("done", seen == null ? null : seen.get("X-Request-Trailer"));

        ContentResponse withTrailers = jetty.newRequest(sluice.uri("web", "/trailers")).send();
        assertEquals("part one,part two", withTrailers.getContentAsString());
        assertEquals("abc123", withTrailers.getTrailers() == null ? null : withTrailers.getTrailers().get("X-Checksum"));
    }

    @Test
    void h2cClientsAndH2cUpstreams() throws Exception {
        backend = new Backend("up");
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "s"
                [http.routers.h2]
                rule = "PathPrefix(`/h2`)"
                service = "h2"
                [http.services.s.loadBalancer]
                servers = [{url = "%s"}]
                [http.services.h2.loadBalancer]
                servers = [{url = "h2c://127.0.0.1:%d"}]
                """.formatted(backend.url(), backend.port()));
        // Prior knowledge.
        ContentResponse response = jetty(true).newRequest(sluice.uri("web", "/x?y=1")).send();
        assertEquals(200, response.getStatus());
        assertEquals(HttpVersion.HTTP_2, response.getVersion());
        assertEquals("up", response.getContentAsString());
        Backend.Seen seen = backend.take();
        assertEquals("/x?y=1", seen.pathQuery());
        assertEquals("127.0.0.1:" + sluice.port("web"), seen.headers().get("Host"), "the :authority becomes Host upstream");
        // Upgrade from HTTP/1.1.
        HttpResponse<String> upgraded = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()
                .send(HttpRequest.newBuilder(sluice.uri("web", "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, upgraded.version());
        assertEquals("up", upgraded.body());
        backend.take();
        // h2c:// upstream: HTTP/2 by prior knowledge on the proxy-to-server leg.
        HttpResponse<String> viaH2c = jdk.send(HttpRequest.newBuilder(sluice.uri("web", "/h2/z")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, viaH2c.statusCode(), viaH2c.body());
        assertEquals("HTTP/2.0", backend.take().version());
    }

    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", sluice.port("web"))) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(all); // the server closes: a clean close, not a hang
            return all.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
