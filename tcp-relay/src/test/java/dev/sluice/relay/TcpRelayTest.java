package dev.sluice.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.testing.RefusingPort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The TCP relay over real sockets: plain routing, balancing, backpressure, half-close, failures and timeouts. */
class TcpRelayTest extends RelayFixture {
    private TcpBackend backend(TcpBackend backend) {
        closing(backend);
        return backend;
    }

    /** An entry point "tcp" with one router taking everything to service "svc" over {@code servers}. */
    static String config(String lbExtra, String... servers) {
        StringBuilder b = new StringBuilder("""
                [entryPoints.tcp]
                address = "127.0.0.1:0/tcp"
                [tcp.routers.all]
                rule = "HostSNI(`*`)"
                service = "svc"
                [tcp.services.svc.loadBalancer]
                """).append(lbExtra).append('\n');
        for (String server : servers) {
            b.append("[[tcp.services.svc.loadBalancer.servers]]\naddress = \"").append(server).append("\"\n");
        }
        return b.toString();
    }

    private void start(String toml) throws Exception {
        start(toml, Relay.Settings.DEFAULT);
    }

    private void start(String toml, Relay.Settings settings) throws Exception {
        relay = Relay.start(ConfigLoader.parse(toml, "test.toml"), settings);
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), relay.port("tcp"));
        socket.setSoTimeout(10_000);
        closing(socket);
        return socket;
    }

    static String readExactly(InputStream in, int n) throws IOException {
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    @Test
    void relaysBothWays() throws Exception {
        TcpBackend echo = backend(TcpBackend.echo());
        start(config("", echo.address()));
        try (Socket socket = connect()) {
            socket.getOutputStream().write("ping".getBytes());
            assertEquals("ping", readExactly(socket.getInputStream(), 4));
            socket.getOutputStream().write("pong!".getBytes());
            assertEquals("pong!", readExactly(socket.getInputStream(), 5));
        }
    }

    @Test
    void serverSpeaksFirst() throws Exception {
        TcpBackend smtp = backend(TcpBackend.greeting("220 ready\r\n"));
        start(config("", smtp.address()));
        try (Socket socket = connect()) {
            assertEquals("220 ready\r\n", readExactly(socket.getInputStream(), 11));
        }
    }

    @Test
    void aServerSpeaksFirstProtocolOnAnEntryPointWithTlsRoutersIsRoutedAfterThePeekTimeout() throws Exception {
        TcpBackend smtp = backend(TcpBackend.greeting("220 ready\r\n"));
        TcpBackend tls = backend(TcpBackend.greeting("tls"));
        start(config("", smtp.address()) + """
                [tcp.routers.secure]
                rule = "HostSNI(`secure.example.com`)"
                service = "tls"
                [tcp.routers.secure.tls]
                passthrough = true
                [[tcp.services.tls.loadBalancer.servers]]
                address = "%s"
                """.formatted(tls.address()), new Relay.Settings(32 * 1024, 300, 10_000));
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            assertEquals("220 ready\r\n", readExactly(socket.getInputStream(), 11), "the client waited, then got the plain router");
            assertTrue((System.nanoTime() - start) / 1_000_000 >= 250);
        }
    }

    @Test
    void manyConnectionsAtOnceOnOneThread() throws Exception {
        TcpBackend echo = backend(TcpBackend.echo());
        start(config("", echo.address()));
        int clients = 100;
        List<Socket> sockets = new ArrayList<>();
        byte[] payload = new byte[20_000];
        new Random(7).nextBytes(payload);
        for (int i = 0; i < clients; i++) {
            Socket socket = connect();
            sockets.add(socket);
            socket.getOutputStream().write(payload);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> relay.openConnections("tcp") == clients);
        for (Socket socket : sockets) {
            assertArrayEquals(payload, socket.getInputStream().readNBytes(payload.length));
            socket.close();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> relay.openConnections("tcp") == 0);
    }

    @Test
    void twoServersAlternate() throws Exception {
        TcpBackend a = backend(TcpBackend.greeting("A"));
        TcpBackend b = backend(TcpBackend.greeting("B"));
        start(config("", a.address(), b.address()));
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            try (Socket socket = connect()) {
                order.append(readExactly(socket.getInputStream(), 1));
            }
        }
        assertEquals("ABAB", order.toString());
    }

    @Test
    void weightedServicesFollowTheirWeights() throws Exception {
        TcpBackend a = backend(TcpBackend.greeting("A"));
        TcpBackend b = backend(TcpBackend.greeting("B"));
        start("""
                [entryPoints.tcp]
                address = "127.0.0.1:0/tcp"
                [tcp.routers.all]
                rule = "HostSNI(`*`)"
                service = "app"
                [[tcp.services.app.weighted.services]]
                name = "v1"
                weight = 3
                [[tcp.services.app.weighted.services]]
                name = "v2"
                weight = 1
                [[tcp.services.v1.loadBalancer.servers]]
                address = "%s"
                [[tcp.services.v2.loadBalancer.servers]]
                address = "%s"
                """.formatted(a.address(), b.address()));
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            try (Socket socket = connect()) {
                order.append(readExactly(socket.getInputStream(), 1));
            }
        }
        assertEquals(6, order.chars().filter(c -> c == 'A').count(), order.toString());
    }

    @Test
    void aRefusedServerIsSkippedForTheNext() throws Exception {
        TcpBackend b = backend(TcpBackend.greeting("B"));
        start(config("", closing(new RefusingPort()).address(), b.address()));
        for (int i = 0; i < 3; i++) {
            try (Socket socket = connect()) {
                assertEquals("B", readExactly(socket.getInputStream(), 1));
            }
        }
    }

    @Test
    void noLiveServerClosesTheClientCleanly() throws Exception {
        start(config("", closing(new RefusingPort()).address()));
        try (Socket socket = connect()) {
            assertEquals(-1, socket.getInputStream().read(), "an end of stream, not a reset");
        }
    }

    @Test
    void anUpstreamThatDiesMidConnectionClosesTheClientCleanly() throws Exception {
        TcpBackend dying = backend(new TcpBackend(socket -> {
            socket.getOutputStream().write("bye".getBytes());
            socket.getInputStream().read();
            socket.setSoLinger(true, 0); // close with a reset
        }));
        start(config("", dying.address()));
        try (Socket socket = connect()) {
            assertEquals("bye", readExactly(socket.getInputStream(), 3));
            socket.getOutputStream().write('x');
            assertEquals(-1, socket.getInputStream().read(), "the client gets an end of stream");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> relay.openConnections("tcp") == 0);
    }

    @Test
    void halfCloseIsPassedOnAndTheUpstreamStillAnswers() throws Exception {
        // The upstream reads until end of stream, then answers: it only can if the FIN got through.
        TcpBackend upper = backend(new TcpBackend(socket -> {
            String request = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            socket.getOutputStream().write(request.toUpperCase().getBytes());
        }));
        start(config("", upper.address()));
        try (Socket socket = connect()) {
            socket.getOutputStream().write("hello".getBytes());
            socket.shutdownOutput();
            assertEquals("HELLO", new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void terminationDelayEndsAHalfOpenConnection() throws Exception {
        // The upstream never closes its half: after the client's FIN the relay waits terminationDelay, then closes.
        TcpBackend stubborn = backend(new TcpBackend(socket -> {
            socket.getInputStream().readAllBytes();
            Thread.sleep(60_000);
        }));
        start(config("terminationDelay = 200", stubborn.address()));
        try (Socket socket = connect()) {
            socket.getOutputStream().write("x".getBytes());
            socket.shutdownOutput();
            long start = System.nanoTime();
            assertEquals(-1, socket.getInputStream().read());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 150 && millis < 5_000, "closed after the delay: " + millis + "ms");
        }
    }

    @Test
    void negativeTerminationDelayWaitsForever() throws Exception {
        TcpBackend stubborn = backend(new TcpBackend(socket -> {
            socket.getInputStream().readAllBytes();
            Thread.sleep(1_500);
            socket.getOutputStream().write("late".getBytes());
        }));
        start(config("terminationDelay = -1", stubborn.address()));
        try (Socket socket = connect()) {
            socket.getOutputStream().write("x".getBytes());
            socket.shutdownOutput();
            assertEquals("late", new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void idleConnectionsAreClosed() throws Exception {
        TcpBackend echo = backend(TcpBackend.echo());
        start(config("", echo.address()) + """
                [entryPoints.tcp.transport.respondingTimeouts]
                idleTimeout = "300ms"
                """);
        try (Socket socket = connect()) {
            socket.getOutputStream().write("a".getBytes());
            assertEquals("a", readExactly(socket.getInputStream(), 1));
            long start = System.nanoTime();
            assertEquals(-1, socket.getInputStream().read());
            assertTrue((System.nanoTime() - start) / 1_000_000 >= 200);
        }
    }

    @Test
    void aSlowReaderStopsTheWriterAndEveryByteArrives() throws Exception {
        Firehose firehose = new Firehose(50 * 1024 * 1024, 1);
        TcpBackend upstream = backend(new TcpBackend(firehose));
        start(config("", upstream.address()));
        try (Socket socket = connect()) {
            socket.setReceiveBufferSize(64 * 1024);
            InputStream in = socket.getInputStream();
            in.read(); // the connection is up and the upstream is writing
            // Nobody reads: the upstream must stall once the socket buffers and the relay's 32 KiB are full.
            long stalledAt = firehose.awaitStalled();
            assertTrue(stalledAt < firehose.total / 2, "the writer is held back: " + stalledAt + " bytes written");
            // Then every byte arrives, in order.
            firehose.assertEveryByteArrives(in);
        }
    }

    @Test
    void dialTimeoutMovesOnToTheNextServer() throws Exception {
        TcpBackend b = backend(TcpBackend.greeting("B"));
        // A listener that never accepts, its backlog filled: further SYNs are dropped and a connect hangs.
        java.net.ServerSocket full = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        closing(full);
        for (int i = 0; i < 8; i++) {
            java.nio.channels.SocketChannel filler = java.nio.channels.SocketChannel.open();
            filler.configureBlocking(false);
            filler.connect(full.getLocalSocketAddress());
            closing(filler);
        }
        start(config("serversTransport = \"quick\"", "127.0.0.1:" + full.getLocalPort(), b.address()) + """
                [tcp.serversTransports.quick]
                dialTimeout = "300ms"
                """);
        try (Socket socket = connect()) {
            assertEquals("B", readExactly(socket.getInputStream(), 1));
        }
    }

    @Test
    void closingTheRelayClosesItsConnections() throws Exception {
        TcpBackend echo = backend(TcpBackend.echo());
        start(config("", echo.address()));
        Socket socket = connect();
        socket.getOutputStream().write("a".getBytes());
        assertEquals("a", readExactly(socket.getInputStream(), 1));
        relay.close();
        relay = null;
        assertEquals(-1, socket.getInputStream().read());
        assertThrows(IOException.class, () -> new Socket(InetAddress.getLoopbackAddress(), socket.getPort()).close());
    }

    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            in.transferTo(out);
        } catch (SocketTimeoutException ignored) {
            // what arrived so far
        }
        return out.toByteArray();
    }
}
