package dev.sluice.relay;

import static dev.sluice.relay.TcpRelayTest.config;
import static dev.sluice.relay.TcpRelayTest.readExactly;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.proxy.config.ConfigLoader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** PROXY protocol both ways, TCP middlewares, ClientIP routing and health checks, over real sockets. */
class TcpFeaturesTest extends RelayFixture {
    private void start(String toml) throws Exception {
        relay = Relay.start(ConfigLoader.parse(toml, "test.toml"));
    }

    private Socket connect() throws IOException {
        Socket socket = closing(new Socket(InetAddress.getLoopbackAddress(), relay.port("tcp")));
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** An upstream that reports the PROXY header it received (as text), then echoes. */
    private TcpBackend proxyHeaderReader(BlockingQueue<String> headers) throws IOException {
        return closing(new TcpBackend(socket -> {
            InputStream in = socket.getInputStream();
            byte[] first = in.readNBytes(12);
            if (first[0] == 'P') {
                StringBuilder line = new StringBuilder(new String(first, StandardCharsets.US_ASCII));
                while (!line.toString().endsWith("\r\n")) {
                    line.append((char) in.read());
                }
                headers.add(line.toString().trim());
            } else {
                assertArrayEquals(ProxyProtocol.V2_SIGNATURE, first);
                DataInputStream data = new DataInputStream(in);
                int verCmd = data.readUnsignedByte();
                int family = data.readUnsignedByte();
                int length = data.readUnsignedShort();
                byte[] addresses = data.readNBytes(length);
                String src = InetAddress.getByAddress(java.util.Arrays.copyOfRange(addresses, 0, 4)).getHostAddress();
                String dst = InetAddress.getByAddress(java.util.Arrays.copyOfRange(addresses, 4, 8)).getHostAddress();
                int srcPort = ((addresses[8] & 0xFF) << 8) | (addresses[9] & 0xFF);
                int dstPort = ((addresses[10] & 0xFF) << 8) | (addresses[11] & 0xFF);
                headers.add("v2 " + Integer.toHexString(verCmd) + " " + Integer.toHexString(family) + " " + src + " " + dst + " " + srcPort + " " + dstPort);
            }
            in.transferTo(socket.getOutputStream());
        }));
    }

    @Test
    void proxyProtocolV1TellsTheUpstreamTheClientsAddress() throws Exception {
        BlockingQueue<String> headers = new ArrayBlockingQueue<>(4);
        TcpBackend upstream = proxyHeaderReader(headers);
        start(config("[tcp.services.svc.loadBalancer.proxyProtocol]\nversion = 1", upstream.address()));
        try (Socket socket = connect()) {
            socket.getOutputStream().write("data".getBytes());
            assertEquals("data", readExactly(socket.getInputStream(), 4));
            assertEquals("PROXY TCP4 127.0.0.1 127.0.0.1 " + socket.getLocalPort() + " " + relay.port("tcp"),
                    headers.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void proxyProtocolV2IsTheDefaultVersion() throws Exception {
        BlockingQueue<String> headers = new ArrayBlockingQueue<>(4);
        TcpBackend upstream = proxyHeaderReader(headers);
        start(config("[tcp.services.svc.loadBalancer.proxyProtocol]", upstream.address()));
        try (Socket socket = connect()) {
            socket.getOutputStream().write("data".getBytes());
            assertEquals("data", readExactly(socket.getInputStream(), 4));
            assertEquals("v2 21 11 127.0.0.1 127.0.0.1 " + socket.getLocalPort() + " " + relay.port("tcp"),
                    headers.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void proxyProtocolFromTheTransport() throws Exception {
        BlockingQueue<String> headers = new ArrayBlockingQueue<>(4);
        TcpBackend upstream = proxyHeaderReader(headers);
        start(config("serversTransport = \"pp\"", upstream.address()) + """
                [tcp.serversTransports.pp.proxyProtocol]
                version = 1
                """);
        try (Socket socket = connect()) {
            socket.getOutputStream().write("x".getBytes());
            assertEquals("x", readExactly(socket.getInputStream(), 1));
            assertEquals("PROXY TCP4 127.0.0.1 127.0.0.1 " + socket.getLocalPort() + " " + relay.port("tcp"),
                    headers.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void incomingProxyHeaderFromATrustedPeerSetsTheClientAddress() throws Exception {
        BlockingQueue<String> headers = new ArrayBlockingQueue<>(4);
        TcpBackend upstream = proxyHeaderReader(headers);
        TcpBackend other = closing(TcpBackend.greeting("other"));
        start("""
                [entryPoints.tcp]
                address = "127.0.0.1:0/tcp"
                [entryPoints.tcp.proxyProtocol]
                trustedIPs = ["127.0.0.1/32"]
                [tcp.routers.real]
                rule = "ClientIP(`203.0.113.0/24`)"
                service = "svc"
                [tcp.routers.rest]
                rule = "HostSNI(`*`)"
                service = "other"
                priority = 1
                [tcp.services.svc.loadBalancer.proxyProtocol]
                version = 1
                [[tcp.services.svc.loadBalancer.servers]]
                address = "%s"
                [[tcp.services.other.loadBalancer.servers]]
                address = "%s"
                """.formatted(upstream.address(), other.address()));
        try (Socket socket = connect()) {
            socket.getOutputStream().write("PROXY TCP4 203.0.113.7 198.51.100.1 40000 5432\r\nhi".getBytes());
            assertEquals("hi", readExactly(socket.getInputStream(), 2), "the header is consumed, the data relayed");
            assertEquals("PROXY TCP4 203.0.113.7 127.0.0.1 40000 " + relay.port("tcp"), headers.poll(5, TimeUnit.SECONDS));
        }
        try (Socket socket = connect()) {
            socket.getOutputStream().write("plain".getBytes());
            assertEquals("other", readExactly(socket.getInputStream(), 5), "no header: the peer's own address");
        }
    }

    @Test
    void incomingProxyHeaderV2() throws Exception {
        BlockingQueue<String> headers = new ArrayBlockingQueue<>(4);
        TcpBackend upstream = proxyHeaderReader(headers);
        start(config("[tcp.services.svc.loadBalancer.proxyProtocol]\nversion = 1", upstream.address())
                + "[entryPoints.tcp.proxyProtocol]\ninsecure = true\n");
        try (Socket socket = connect()) {
            var source = new java.net.InetSocketAddress(InetAddress.getByName("192.0.2.9"), 1234);
            var header = ProxyProtocol.encode(2, source, new java.net.InetSocketAddress(InetAddress.getByName("192.0.2.1"), 80));
            byte[] bytes = new byte[header.remaining()];
            header.get(bytes);
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().write("ok".getBytes());
            assertEquals("ok", readExactly(socket.getInputStream(), 2));
            assertEquals("PROXY TCP4 192.0.2.9 127.0.0.1 1234 " + relay.port("tcp"), headers.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void ipAllowListClosesOthers() throws Exception {
        TcpBackend echo = closing(TcpBackend.greeting("hello"));
        start(config("", echo.address()).replace("service = \"svc\"", "service = \"svc\"\nmiddlewares = [\"office\"]") + """
                [tcp.middlewares.office.ipAllowList]
                sourceRange = ["10.0.0.0/8"]
                """);
        try (Socket socket = connect()) {
            assertEquals(-1, socket.getInputStream().read(), "127.0.0.1 is not in 10.0.0.0/8");
        }
        assertEquals(0, echo.accepted.get());
    }

    @Test
    void ipAllowListLetsMembersIn() throws Exception {
        TcpBackend echo = closing(TcpBackend.greeting("hello"));
        start(config("", echo.address()).replace("service = \"svc\"", "service = \"svc\"\nmiddlewares = [\"local\"]") + """
                [tcp.middlewares.local.ipAllowList]
                sourceRange = ["127.0.0.1/32"]
                """);
        try (Socket socket = connect()) {
            assertEquals("hello", readExactly(socket.getInputStream(), 5));
        }
    }

    @Test
    void inFlightConnLimitsConnectionsPerClientIp() throws Exception {
        TcpBackend echo = closing(TcpBackend.greeting("hi"));
        start(config("", echo.address()).replace("service = \"svc\"", "service = \"svc\"\nmiddlewares = [\"one\"]") + """
                [tcp.middlewares.one.inFlightConn]
                amount = 1
                """);
        Socket first = connect();
        assertEquals("hi", readExactly(first.getInputStream(), 2));
        try (Socket second = connect()) {
            assertEquals(-1, second.getInputStream().read(), "a second connection from the same IP is closed");
        }
        first.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> relay.openConnections("tcp") == 0);
        try (Socket third = connect()) {
            assertEquals("hi", readExactly(third.getInputStream(), 2), "the slot is free again");
        }
    }

    @Test
    void healthCheckSendExpectTakesAFailingServerOut() throws Exception {
        TcpBackend good = closing(new TcpBackend(socket -> {
            byte[] probe = socket.getInputStream().readNBytes(4);
            socket.getOutputStream().write(new String(probe).equals("PING") ? "PONG".getBytes() : "good".getBytes());
        }));
        TcpBackend bad = closing(new TcpBackend(socket -> {
            byte[] probe = socket.getInputStream().readNBytes(4);
            socket.getOutputStream().write(new String(probe).equals("PING") ? "NOPE".getBytes() : "bad!".getBytes());
        }));
        start(config("""
                [tcp.services.svc.loadBalancer.healthCheck]
                send = "PING"
                expect = "PONG"
                interval = "200ms"
                timeout = "5s"
                """, good.address(), bad.address()));
        // The next check of a server is scheduled once the one before has its verdict: a second check of
        // each has begun, so the first verdicts are in. (The timeout is generous: on a loaded machine a
        // 100 ms one took the good server out too; the bad one fails by its answer, not by time.)
        await().atMost(Duration.ofSeconds(10)).until(() -> bad.accepted.get() >= 2 && good.accepted.get() >= 2);
        for (int i = 0; i < 4; i++) {
            try (Socket socket = connect()) {
                socket.getOutputStream().write("data".getBytes());
                assertEquals("good", readExactly(socket.getInputStream(), 4));
            }
        }
    }

    @Test
    void aWeightedServiceFollowingItsChildrensHealthSkipsTheDownOne() throws Exception {
        TcpBackend v1 = closing(TcpBackend.greeting("1"));
        TcpBackend v2 = closing(TcpBackend.greeting("2"));
        start("""
                [entryPoints.tcp]
                address = "127.0.0.1:0/tcp"
                [tcp.routers.all]
                rule = "HostSNI(`*`)"
                service = "app"
                [tcp.services.app.weighted.healthCheck]
                [[tcp.services.app.weighted.services]]
                name = "v1"
                weight = 3
                [[tcp.services.app.weighted.services]]
                name = "v2"
                weight = 1
                [[tcp.services.v1.loadBalancer.servers]]
                address = "%s"
                [tcp.services.v1.loadBalancer.healthCheck]
                expect = "ready"
                interval = "200ms"
                timeout = "100ms"
                [[tcp.services.v2.loadBalancer.servers]]
                address = "%s"
                [tcp.services.v2.loadBalancer.healthCheck]
                interval = "200ms"
                timeout = "5s"
                """.formatted(v1.address(), v2.address()));
        // v1 accepts connections but never says "ready": once checked (its 100 ms timeout), the heavier child
        // is out. The next check of a server is scheduled once the one before has its verdict: a second
        // check of each has begun, so the first verdicts are in. (v2's timeout is generous: only v1 fails by time.)
        await().atMost(Duration.ofSeconds(10)).until(() -> v1.accepted.get() >= 2 && v2.accepted.get() >= 2);
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            try (Socket socket = connect()) {
                order.append(readExactly(socket.getInputStream(), 1));
            }
        }
        assertEquals("22222222", order.toString());
    }

    /**
     * {@code dialKeepAlive} on the relay's upstream socket, read from the kernel's own table
     * ({@code /proc/net/tcp} and {@code tcp6}: timer 2 is the keep-alive timer, due in clock ticks of 1/100 s).
     */
    @Test
    void dialKeepAliveSetsTheKeepAliveTimerOfUpstreamSockets() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "Linux only");
        assertEquals("02", keepAliveTimer("7s").type(), "keep-alive timer armed");
        assertTrue(keepAliveTimer("7s").ticks() <= 700, "first probe within 7s of idleness");
        assertTrue(keepAliveTimer("7s").ticks() > 100, "not the kernel's default of 2 hours either, nor tiny");
        assertEquals("00", keepAliveTimer("-1s").type(), "negative turns keep-alive off");
    }

    private record KernelTimer(String type, long ticks) {}

    /** The kernel's timer of the relay's upstream socket for a connection through a transport with {@code dialKeepAlive}. */
    private KernelTimer keepAliveTimer(String dialKeepAlive) throws Exception {
        BlockingQueue<Integer> relayPorts = new ArrayBlockingQueue<>(1);
        TcpBackend backend = closing(new TcpBackend(socket -> {
            relayPorts.add(socket.getPort());
            socket.getInputStream().transferTo(socket.getOutputStream());
        }));
        if (relay != null) {
            relay.close();
        }
        start(config("serversTransport = \"t\"", backend.address()) + """
                [tcp.serversTransports.t]
                dialKeepAlive = "%s"
                """.formatted(dialKeepAlive));
        try (Socket socket = connect()) {
            socket.getOutputStream().write("x".getBytes());
            assertEquals("x", readExactly(socket.getInputStream(), 1));
            int relayPort = relayPorts.poll(5, TimeUnit.SECONDS);
            String local = String.format(":%04X ", relayPort);
            String remote = String.format(":%04X ", Integer.parseInt(backend.address().substring(backend.address().lastIndexOf(':') + 1)));
            List<String> lines = new ArrayList<>(Files.readAllLines(Path.of("/proc/net/tcp")));
            if (Files.isReadable(Path.of("/proc/net/tcp6"))) {
                lines.addAll(Files.readAllLines(Path.of("/proc/net/tcp6"))); // Java's dual-stack sockets land here
            }
            for (String line : lines) {
                String[] f = line.trim().split("\\s+");
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when ...
                if ((f[1] + " ").endsWith(local) && (f[2] + " ").endsWith(remote)) {
                    String[] timer = f[5].split(":");
                    return new KernelTimer(timer[0], Long.parseLong(timer[1], 16));
                }
            }
            throw new AssertionError("no kernel entry for the relay's socket on port " + relayPort);
        }
    }
}
