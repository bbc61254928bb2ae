package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.proxy.service.Exchange;
import java.net.HttpCookie;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.JettyUpgradeListener;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WebSocket through the standalone jar, end to end: Jetty's WebSocket client in front, Jetty's
 * WebSocket server behind, Sluice between them as a byte pipe after the 101.
 */
class WebSocketProxyTest {
    /** What an observer copied from an exchange when it ended. */
    record Ended(String path, String query, int status, int originStatus, Exchange.Outcome outcome, long bytesIn, long bytesOut) {}

    private static final BlockingQueue<Ended> ENDED = new LinkedBlockingQueue<>();
    private static WsBackend one;
    private static WsBackend two;
    private static Sluice sluice;
    private static WebSocketClient client;
    private static dev.sluice.proxy.testing.RefusingPort refusing;

    @BeforeAll
    static void start() throws Exception {
        refusing = new dev.sluice.proxy.testing.RefusingPort();
        one = new WsBackend("one");
        two = new WsBackend("two");
        String hash = at.favre.lib.crypto.bcrypt.BCrypt.with(at.favre.lib.crypto.bcrypt.BCrypt.Version.VERSION_2Y)
                .hashToString(4, "pw".toCharArray());
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"

                [http.routers.app]
                rule = "PathPrefix(`/ws`) || PathPrefix(`/nows`)"
                service = "app"
                middlewares = ["zip", "again"]
                [http.routers.guarded]
                rule = "PathPrefix(`/guarded`)"
                service = "app"
                middlewares = ["auth", "unguard"]
                [http.routers.pair]
                rule = "PathPrefix(`/pair`)"
                service = "pair"
                middlewares = ["unpair"]
                [http.routers.gone]
                rule = "PathPrefix(`/gone`)"
                service = "gone"
                [http.routers.idle]
                rule = "PathPrefix(`/idle`)"
                service = "idle"
                middlewares = ["unidle"]

                [http.middlewares.zip.compress]
                [http.middlewares.again.retry]
                attempts = 3
                [http.middlewares.auth.basicAuth]
                users = ['ann:%s']
                [http.middlewares.unguard.replacePathRegex]
                regex = "^/guarded"
                replacement = "/ws"
                [http.middlewares.unpair.replacePathRegex]
                regex = "^/pair"
                replacement = "/ws"
                [http.middlewares.unidle.replacePathRegex]
                regex = "^/idle"
                replacement = "/ws"

                [[http.services.app.loadBalancer.servers]]
                url = "%s"
                [http.services.pair.loadBalancer.sticky.cookie]
                name = "pin"
                [[http.services.pair.loadBalancer.servers]]
                url = "%s"
                [[http.services.pair.loadBalancer.servers]]
                url = "%s"
                [[http.services.gone.loadBalancer.servers]]
                url = "http://%s"
                [http.services.idle.loadBalancer]
                serversTransport = "brief"
                [[http.services.idle.loadBalancer.servers]]
                url = "%s"
                [http.serversTransports.brief.forwardingTimeouts]
                tunnelIdleTimeout = "700ms"
                """.formatted(hash, one.url(), one.url(), two.url(), refusing.address(), one.url()));
        sluice.server.runtime().observers().add(e -> ENDED.add(new Ended(e.containerRequest().getRequestURI(),
                e.containerRequest().getQueryString(), e.status(),
                e.originStatus(), e.outcome(), e.bytesIn(), e.bytesOut())));
        client = new WebSocketClient();
        client.setMaxTextMessageSize(WsBackend.MAX_MESSAGE);
        client.setMaxBinaryMessageSize(WsBackend.MAX_MESSAGE);
        client.setIdleTimeout(Duration.ofMinutes(2));
        client.start();
    }

    @AfterAll
    static void stop() throws Exception {
        client.stop();
        sluice.close();
        one.close();
        two.close();
        refusing.close();
    }

    @BeforeEach
    void clear() {
        ENDED.clear();
    }

    private static URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + sluice.port("web") + path);
    }

    private static WsClientSocket connect(String path) throws Exception {
        return connect(path, new ClientUpgradeRequest());
    }

    private static WsClientSocket connect(String path, ClientUpgradeRequest request) throws Exception {
        WsClientSocket socket = new WsClientSocket();
        client.connect(socket, ws(path), request).get(10, TimeUnit.SECONDS);
        return socket;
    }

    @Test
    void textAndBinaryFramesAreEchoed() throws Exception {
        WsClientSocket socket = connect("/ws");
        socket.session.sendText("hello", Callback.NOOP);
        assertEquals("hello", socket.nextText());
        byte[] bytes = {0, 1, 2, (byte) 0xff, 127};
        socket.session.sendBinary(ByteBuffer.wrap(bytes), Callback.NOOP);
        ByteBuffer echoed = socket.binaries.poll(10, TimeUnit.SECONDS);
        assertNotNull(echoed);
        assertArrayEquals(bytes, toArray(echoed));
        socket.session.close();
        assertTrue(socket.awaitClose());
    }

    @Test
    void aTenMegabyteMessageArrivesWhole() throws Exception {
        WsClientSocket socket = connect("/ws");
        byte[] big = new byte[10 * 1024 * 1024];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + (i >>> 11));
        }
        socket.session.sendBinary(ByteBuffer.wrap(big), Callback.NOOP);
        ByteBuffer echoed = socket.binaries.poll(30, TimeUnit.SECONDS);
        assertNotNull(echoed, "no echo of the 10 MB message");
        assertArrayEquals(big, toArray(echoed));
        socket.session.close();
    }

    @Test
    void aThousandMessagesArriveInOrder() throws Exception {
        WsClientSocket socket = connect("/ws");
        for (int i = 0; i < 1000; i++) {
            socket.session.sendText("m" + i, Callback.NOOP);
        }
        for (int i = 0; i < 1000; i++) {
            assertEquals("m" + i, socket.nextText());
        }
        socket.session.close();
    }

    @Test
    void pingsAreAnsweredWithPongsThroughTheTunnel() throws Exception {
        WsClientSocket socket = connect("/ws");
        socket.session.sendPing(ByteBuffer.wrap("are you there".getBytes(StandardCharsets.UTF_8)), Callback.NOOP);
        ByteBuffer pong = socket.pongs.poll(10, TimeUnit.SECONDS);
        assertNotNull(pong, "no pong");
        assertEquals("are you there", StandardCharsets.UTF_8.decode(pong).toString());
        socket.session.close();
    }

    @Test
    void closeCodesPassBothWays() throws Exception {
        WsClientSocket socket = connect("/ws");
        socket.session.close(4001, "client says bye", Callback.NOOP);
        assertTrue(socket.awaitClose());
        // Other tests' sessions end with 1000: wait for this one's code among them.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> one.closes.contains("4001:client says bye"));

        WsClientSocket other = connect("/ws");
        other.session.sendText("close:4002:server says bye", Callback.NOOP);
        assertTrue(other.awaitClose());
        assertEquals(4002, other.closeCode);
        assertEquals("server says bye", other.closeReason);
    }

    @Test
    void theServerGoingAwayClosesTheClientsConnection() throws Exception {
        WsClientSocket socket = connect("/ws?going-away");
        socket.session.sendText("hello", Callback.NOOP);
        assertEquals("hello", socket.nextText());
        socket.session.sendText("die", Callback.NOOP);
        assertTrue(socket.awaitClose(), "the client did not learn that the server went away");
        // No close frame: abnormal closure (Jetty may report the error first, then the close).
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> socket.closeCode == 1006);

        Ended ended = endOf("going-away");
        assertEquals("/ws", ended.path());
        assertEquals(101, ended.status());
        assertEquals(101, ended.originStatus());
        assertEquals(Exchange.Outcome.PROXIED, ended.outcome());
        assertTrue(ended.bytesIn() > 10 && ended.bytesOut() > 5, ended.toString());
        noSecondEnd("going-away");
    }

    @Test
    void theExchangeEndsOnceWhenTheTunnelClosesWithItsBytes() throws Exception {
        WsClientSocket socket = connect("/ws?once");
        noSecondEnd("once"); // nor a first one: not at the handshake
        byte[] payload = new byte[100_000];
        socket.session.sendBinary(ByteBuffer.wrap(payload), Callback.NOOP);
        assertNotNull(socket.binaries.poll(10, TimeUnit.SECONDS));
        socket.session.close();
        assertTrue(socket.awaitClose());
        Ended ended = endOf("once");
        assertTrue(ended.bytesIn() >= 100_000 && ended.bytesOut() >= 100_000, ended.toString());
        noSecondEnd("once");
    }

    @Test
    void aSlowReaderStallsTheServerInsteadOfFillingMemory() throws Exception {
        WsClientSocket socket = connect("/ws");
        socket.pause();
        long before = one.flooded.get();
        int count = 256;
        int size = 256 * 1024; // 64 MiB in all
        socket.session.sendText("flood:" + count + ":" + size, Callback.NOOP);
        // The server writes until the path is full, then waits: what it wrote stops growing well short of all.
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(new java.util.concurrent.Callable<>() {
            long last = -1;
            int stable;

            @Override
            public Boolean call() {
                long now = one.flooded.get() - before;
                stable = now == last && now > 0 ? stable + 1 : 0;
                last = now;
                return stable >= 5;
            }
        });
        long stalled = one.flooded.get() - before;
        assertTrue(stalled < (long) count * size / 2, "the proxy read " + stalled + " bytes ahead of a reader that reads nothing");
        socket.resume();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> socket.binaryBytes.get() == (long) count * size);
        socket.session.close();
    }

    @Test
    void aThousandConcurrentConnectionsEachGetTheirEcho() throws Exception {
        int n = 1000;
        long start = System.nanoTime();
        List<CompletableFuture<Session>> opening = new ArrayList<>();
        List<WsClientSocket> sockets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            WsClientSocket socket = new WsClientSocket();
            sockets.add(socket);
            opening.add(client.connect(socket, ws("/ws")));
        }
        for (CompletableFuture<Session> future : opening) {
            future.get(60, TimeUnit.SECONDS);
        }
        for (int i = 0; i < n; i++) {
            sockets.get(i).session.sendText("c" + i, Callback.NOOP);
        }
        for (int i = 0; i < n; i++) {
            assertEquals("c" + i, sockets.get(i).texts.poll(30, TimeUnit.SECONDS));
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertTrue(seconds < 60, n + " connections took " + seconds + " s");
        for (WsClientSocket socket : sockets) {
            socket.session.close();
        }
        for (WsClientSocket socket : sockets) {
            assertTrue(socket.awaitClose());
        }
    }

    @Test
    void anAuthMiddlewareRefusesTheHandshake() throws Exception {
        ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> connect("/guarded"));
        UpgradeException upgrade = cause(refused, UpgradeException.class);
        assertEquals(401, upgrade.getResponseStatusCode());

        ClientUpgradeRequest request = new ClientUpgradeRequest();
        request.setHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString("ann:pw".getBytes(StandardCharsets.UTF_8)));
        WsClientSocket socket = connect("/guarded", request);
        socket.session.sendText("hello", Callback.NOOP);
        assertEquals("hello", socket.nextText());
        socket.session.close();
    }

    @Test
    void theStickyCookieOfTheHandshakePinsLaterHandshakes() throws Exception {
        List<String> setCookies = new ArrayList<>();
        WsClientSocket first = new WsClientSocket();
        client.connect(first, ws("/pair"), new ClientUpgradeRequest(), new JettyUpgradeListener() {
            @Override
            public void onHandshakeResponse(org.eclipse.jetty.client.Request request, org.eclipse.jetty.client.Response response) {
                setCookies.addAll(response.getHeaders().getValuesList("Set-Cookie"));
            }
        }).get(10, TimeUnit.SECONDS);
        first.session.sendText("whoami", Callback.NOOP);
        String pinned = first.nextText();
        first.session.close();
        String cookie = setCookies.stream().filter(c -> c.startsWith("pin=")).findFirst().orElse(null);
        assertNotNull(cookie, "no sticky cookie on the 101: " + setCookies);
        HttpCookie parsed = HttpCookie.parse(cookie).get(0);
        for (int i = 0; i < 6; i++) {
            ClientUpgradeRequest request = new ClientUpgradeRequest();
            request.setCookies(List.of(new HttpCookie(parsed.getName(), parsed.getValue())));
            WsClientSocket socket = connect("/pair", request);
            socket.session.sendText("whoami", Callback.NOOP);
            assertEquals(pinned, socket.nextText());
            socket.session.close();
        }
    }

    @Test
    void theServerSeesTheWebSocketScheme() throws Exception {
        WsClientSocket socket = connect("/ws");
        socket.session.sendText("proto", Callback.NOOP);
        assertEquals("ws", socket.nextText());
        socket.session.close();
    }

    @Test
    void anIdleTunnelIsClosedAfterItsOwnTimeout() throws Exception {
        WsClientSocket socket = connect("/idle");
        socket.session.sendText("hello", Callback.NOOP);
        assertEquals("hello", socket.nextText());
        long start = System.nanoTime();
        assertTrue(socket.awaitClose(), "the idle tunnel stayed open");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis >= 500 && millis < 5000, "closed after " + millis + " ms");
    }

    @Test
    void anAnswerOtherThan101ReachesTheClientAsItCame() throws Exception {
        ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> connect("/nows"));
        assertEquals(404, cause(refused, UpgradeException.class).getResponseStatusCode());
    }

    /** The status line of what Sluice answers to a raw handshake {@code head}. */
    private static String statusOf(String head) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", sluice.port("web"))) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((head + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            StringBuilder line = new StringBuilder();
            for (int c; (c = socket.getInputStream().read()) != -1 && c != '\r'; ) {
                line.append((char) c);
            }
            return line.toString();
        }
    }

    @Test
    void onlyRequestsWhoseConnectionHeaderNamesUpgradeAreTunnelled() throws Exception {
        String upgrade = "Host: x\r\nUpgrade: websocket\r\n";
        assertEquals("HTTP/1.1 101 Switching Protocols", statusOf("GET /ws HTTP/1.1\r\n" + upgrade + "Connection: keep-alive, Upgrade\r\n"));
        assertEquals("HTTP/1.1 101 Switching Protocols", statusOf("GET /ws HTTP/1.1\r\n" + upgrade + "Connection: upgrade\r\n"));
        // Without Connection: Upgrade the header is hop-by-hop noise: dropped, and the server sees no
        // upgrade (Jetty's WebSocket server answers 400). HTTP/1.0 has no upgrades.
        String plain = statusOf("GET /ws HTTP/1.1\r\n" + upgrade);
        assertTrue(plain.startsWith("HTTP/1.1 4"), plain);
        String old = statusOf("GET /ws HTTP/1.0\r\n" + upgrade + "Connection: Upgrade\r\n");
        assertTrue(old.startsWith("HTTP/1.1 4") || old.startsWith("HTTP/1.0 4"), old);
    }

    @Test
    void aHandshakeToAServerThatRefusesConnectionsIs502() throws Exception {
        ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> connect("/gone?refused"));
        assertEquals(502, cause(refused, UpgradeException.class).getResponseStatusCode());
        Ended ended = endOf("refused");
        assertEquals(Exchange.Outcome.UPSTREAM_FAILED, ended.outcome());
    }

    /** The end of the exchange whose query is {@code query} (other tests' tunnels may end meanwhile). */
    private static Ended endOf(String query) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Ended ended = ENDED.poll(100, TimeUnit.MILLISECONDS);
            if (ended != null && query.equals(ended.query())) {
                return ended;
            }
        }
        fail("the exchange ?" + query + " did not end");
        return null;
    }

    /** No (further) end of the exchange whose query is {@code query} within 300 ms. */
    private static void noSecondEnd(String query) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        while (System.nanoTime() < deadline) {
            Ended ended = ENDED.poll(50, TimeUnit.MILLISECONDS);
            assertTrue(ended == null || !query.equals(ended.query()), "the exchange ?" + query + " ended (again): " + ended);
        }
    }

    private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        fail("no " + type.getSimpleName() + " in " + failure);
        return null;
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
