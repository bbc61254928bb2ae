package dev.sluice.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.observe.Session;
import dev.sluice.proxy.observe.Session.End;
import dev.sluice.proxy.observe.SessionObserver;
import dev.sluice.proxy.observe.SessionObservers;
import dev.sluice.proxy.testing.RefusingPort;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The relay tells its session observers of every TCP connection and UDP session, over real sockets. */
class SessionObserverTest extends RelayFixture {
    /** What an observer was told, in order, with the thread it was told on. */
    record Event(String kind, Session session, String thread) {}

    private final List<Event> events = new CopyOnWriteArrayList<>();

    private final SessionObserver recorder = new SessionObserver() {
        @Override
        public void opened(Session session) {
            events.add(new Event("opened", session, Thread.currentThread().getName()));
        }

        @Override
        public void ended(Session session) {
            events.add(new Event("ended", session, Thread.currentThread().getName()));
        }
    };

    private void start(String toml, SessionObserver observer) throws Exception {
        relay = Relay.start(ConfigLoader.parse(toml, "test.toml"), Relay.Settings.DEFAULT, Map.of(), observer);
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), relay.port("tcp"));
        socket.setSoTimeout(10_000);
        return closing(socket);
    }

    private Event awaitEnded() {
        await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch(e -> e.kind().equals("ended")));
        return events.stream().filter(e -> e.kind().equals("ended")).findFirst().orElseThrow();
    }

    @Test
    void aRelayedConnectionIsOpenedThenEndedWithItsBytesOnTheReactorThread() throws Exception {
        TcpBackend echo = closing(TcpBackend.echo());
        start(TcpRelayTest.config("", echo.address()), recorder);
        long before = System.currentTimeMillis();
        InetSocketAddress local;
        try (Socket socket = connect()) {
            local = (InetSocketAddress) socket.getLocalSocketAddress();
            socket.getOutputStream().write("hello".getBytes());
            assertEquals("hello", TcpRelayTest.readExactly(socket.getInputStream(), 5));
            socket.getOutputStream().write("relay!".getBytes());
            assertEquals("relay!", TcpRelayTest.readExactly(socket.getInputStream(), 6));
            socket.shutdownOutput();
            assertEquals(-1, socket.getInputStream().read(), "the echo server closes after the half-close");
        }
        Event ended = awaitEnded();
        assertEquals(2, events.size(), events.toString());
        Event opened = events.get(0);
        assertEquals("opened", opened.kind());
        Session open = opened.session();
        assertEquals(Session.Protocol.TCP, open.protocol());
        assertEquals("tcp", open.entryPoint());
        assertEquals("all", open.router());
        assertEquals("svc", open.service());
        assertEquals(echo.address(), open.server());
        assertEquals(local.getPort(), open.client().getPort());
        assertTrue(open.opened());
        assertNull(open.end());
        assertTrue(open.startMillis() >= before && open.startMillis() <= System.currentTimeMillis());

        Session over = ended.session();
        assertEquals(End.CLOSED, over.end());
        assertEquals(11, over.bytesIn(), "client to server");
        assertEquals(11, over.bytesOut(), "server to client");
        assertTrue(over.opened());
        assertEquals(open.startMillis(), over.startMillis());
        assertTrue(over.durationNanos() > 0);
        assertEquals("all", over.router());
        assertTrue(opened.thread().startsWith("sluice-relay") && ended.thread().startsWith("sluice-relay"),
                "observers run on the reactor: " + opened.thread() + ", " + ended.thread());
    }

    @Test
    void aConnectionNoRouterTakesEndsUnopened() throws Exception {
        TcpBackend echo = closing(TcpBackend.echo());
        start(TcpRelayTest.config("", echo.address()).replace("HostSNI(`*`)", "ClientIP(`203.0.113.0/24`)"), recorder);
        try (Socket socket = connect()) {
            assertEquals(-1, socket.getInputStream().read());
        }
        Session over = awaitEnded().session();
        assertEquals(1, events.size(), events.toString());
        assertEquals(End.NO_ROUTE, over.end());
        assertFalse(over.opened());
        assertNull(over.router());
        assertNull(over.server());
        assertEquals(0, over.bytesIn());
    }

    @Test
    void aServerThatRefusesEndsTheSessionUnopenedWithTheServerTried() throws Exception {
        String dead = closing(new RefusingPort()).address();
        start(TcpRelayTest.config("", dead), recorder);
        try (Socket socket = connect()) {
            assertEquals(-1, socket.getInputStream().read());
        }
        Session over = awaitEnded().session();
        assertEquals(1, events.size(), events.toString());
        assertEquals(End.NO_SERVER, over.end());
        assertFalse(over.opened());
        assertEquals("all", over.router());
        assertEquals("svc", over.service());
        assertEquals(dead, over.server());
    }

    @Test
    void anIdleConnectionEndsIdle() throws Exception {
        TcpBackend echo = closing(TcpBackend.echo());
        start(TcpRelayTest.config("", echo.address()) + """
                [entryPoints.tcp.transport.respondingTimeouts]
                idleTimeout = "300ms"
                """, recorder);
        try (Socket socket = connect()) {
            socket.getOutputStream().write("a".getBytes());
            assertEquals("a", TcpRelayTest.readExactly(socket.getInputStream(), 1));
            assertEquals(-1, socket.getInputStream().read());
        }
        Session over = awaitEnded().session();
        assertEquals(End.IDLE, over.end());
        assertEquals(1, over.bytesIn());
        assertEquals(1, over.bytesOut());
        assertTrue(over.durationNanos() >= Duration.ofMillis(250).toNanos());
    }

    @Test
    void connectionsOpenWhenTheRelayStopsEndStopped() throws Exception {
        TcpBackend echo = closing(TcpBackend.echo());
        start(TcpRelayTest.config("", echo.address()), recorder);
        Socket socket = connect();
        socket.getOutputStream().write("x".getBytes());
        assertEquals("x", TcpRelayTest.readExactly(socket.getInputStream(), 1));
        relay.close();
        relay = null;
        Session over = awaitEnded().session();
        assertEquals(End.STOPPED, over.end());
        assertTrue(over.opened());
    }

    @Test
    void aFailingObserverNeitherStopsTheOthersNorTheRelay() throws Exception {
        TcpBackend echo = closing(TcpBackend.echo());
        SessionObservers observers = new SessionObservers();
        observers.add(session -> {
            throw new IllegalStateException("broken observer");
        });
        observers.add(recorder);
        start(TcpRelayTest.config("", echo.address()), observers);
        for (int i = 0; i < 2; i++) {
            try (Socket socket = connect()) {
                socket.getOutputStream().write("ok".getBytes());
                assertEquals("ok", TcpRelayTest.readExactly(socket.getInputStream(), 2));
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().filter(e -> e.kind().equals("ended")).count() == 2);
        assertEquals(4, events.size(), events.toString());
    }

    @Test
    void aUdpSessionOpensWithItsFirstDatagramAndEndsAfterItsTimeoutWithItsBytes() throws Exception {
        DatagramSocket server = closing(new DatagramSocket(0, InetAddress.getLoopbackAddress()));
        Thread echo = new Thread(() -> {
            byte[] buffer = new byte[2048];
            while (!server.isClosed()) {
                try {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    server.receive(packet);
                    byte[] reply = ("re:" + new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8)).getBytes();
                    server.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        });
        echo.setDaemon(true);
        echo.start();
        start("""
                [entryPoints.dns]
                address = "127.0.0.1:0/udp"
                [entryPoints.dns.udp]
                timeout = "300ms"
                [udp.routers.resolve]
                service = "resolvers"
                [[udp.services.resolvers.loadBalancer.servers]]
                address = "127.0.0.1:%d"
                """.formatted(server.getLocalPort()), recorder);
        DatagramSocket client = closing(new DatagramSocket(0, InetAddress.getLoopbackAddress()));
        client.setSoTimeout(5_000);
        InetSocketAddress relayAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), relay.port("dns"));
        for (String query : List.of("one", "three")) {
            byte[] bytes = query.getBytes();
            client.send(new DatagramPacket(bytes, bytes.length, relayAddress));
            DatagramPacket reply = new DatagramPacket(new byte[64], 64);
            client.receive(reply);
            assertEquals("re:" + query, new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8));
        }
        Session over = awaitEnded().session();
        assertEquals(2, events.size(), events.toString());
        Session open = events.get(0).session();
        assertEquals("opened", events.get(0).kind());
        assertEquals(Session.Protocol.UDP, open.protocol());
        assertEquals("dns", open.entryPoint());
        assertEquals("resolve", open.router());
        assertEquals("resolvers", open.service());
        assertEquals("127.0.0.1:" + server.getLocalPort(), open.server());
        assertEquals(client.getLocalPort(), open.client().getPort());
        assertEquals(End.IDLE, over.end());
        assertEquals(8, over.bytesIn(), "\"one\" and \"three\"");
        assertEquals(14, over.bytesOut(), "\"re:one\" and \"re:three\"");
        assertTrue(over.durationNanos() >= Duration.ofMillis(250).toNanos());
        assertTrue(events.get(1).thread().startsWith("sluice-relay"));
    }

    @Test
    void udpSessionsOpenWhenTheRelayStopsEndStopped() throws Exception {
        DatagramSocket server = closing(new DatagramSocket(0, InetAddress.getLoopbackAddress()));
        start("""
                [entryPoints.dns]
                address = "127.0.0.1:0/udp"
                [udp.routers.resolve]
                service = "resolvers"
                [[udp.services.resolvers.loadBalancer.servers]]
                address = "127.0.0.1:%d"
                """.formatted(server.getLocalPort()), recorder);
        DatagramSocket client = closing(new DatagramSocket(0, InetAddress.getLoopbackAddress()));
        client.send(new DatagramPacket(new byte[] {1, 2, 3}, 3, new InetSocketAddress(InetAddress.getLoopbackAddress(), relay.port("dns"))));
        server.setSoTimeout(5_000);
        server.receive(new DatagramPacket(new byte[16], 16)); // relayed: the session is open
        relay.close();
        relay = null;
        Session over = awaitEnded().session();
        assertEquals(End.STOPPED, over.end());
        assertEquals(3, over.bytesIn());
        assertEquals(0, over.bytesOut());
    }
}
