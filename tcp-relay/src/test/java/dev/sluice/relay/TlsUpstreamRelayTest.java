package dev.sluice.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.tls.Certs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Servers with {@code tls = true}: the TCP transport's trust, SNI, name checks and client
 * certificates; a PROXY header before the ClientHello; TLS on both sides at once with a large transfer.
 */
class TlsUpstreamRelayTest extends RelayFixture {
    @TempDir
    static Path dir;
    static TlsKit kit;
    static Certs.Issued backendCert;
    static Certs.Issued client;


    @BeforeAll
    static void certificates() throws Exception {
        kit = new TlsKit(dir);
        backendCert = kit.leaf("backend", "dns:backend.internal");
        kit.leaf("front", "dns:front.example.com");
        client = kit.leaf("relay-client", "dns:relay");
    }

    private TlsKit.TlsBackend echoBackend(boolean needClientAuth) throws Exception {
        return closing(new TlsKit.TlsBackend(kit.serverContext(backendCert, needClientAuth), needClientAuth,
                socket -> socket.getInputStream().transferTo(socket.getOutputStream())));
    }

    /** Entry point "tcp", plain, to one TLS server over transport "t" with {@code transportTls} lines. */
    private static String config(String server, String transportTls) {
        return """
                [entryPoints.tcp]
                address = "127.0.0.1:0/tcp"
                [tcp.routers.all]
                rule = "HostSNI(`*`)"
                service = "svc"
                [tcp.services.svc.loadBalancer]
                serversTransport = "t"
                [[tcp.services.svc.loadBalancer.servers]]
                address = "%s"
                tls = true
                [tcp.serversTransports.t.tls]
                %s
                """.formatted(server, transportTls);
    }

    private void start(String toml) throws Exception {
        relay = Relay.start(ConfigLoader.parse(toml, "t.toml"));
    }

    private Socket connect(String entryPoint) throws IOException {
        Socket socket = closing(new Socket(InetAddress.getLoopbackAddress(), relay.port(entryPoint)));
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static String echo(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        return new String(socket.getInputStream().readNBytes(text.length()), StandardCharsets.UTF_8);
    }

    @Test
    void rootCAsAndServerNameVerifyTheUpstream() throws Exception {
        TlsKit.TlsBackend backend = echoBackend(false);
        start(config(backend.address(), "serverName = \"backend.internal\"\nrootCAs = [\"%s\"]".formatted(kit.caPem)));
        assertEquals("over tls", echo(connect("tcp"), "over tls"));
        assertEquals(List.of("backend.internal"), backend.sniSeen, "SNI is the serverName");
    }

    @Test
    void aCertificateForAnotherNameClosesTheConnection() throws Exception {
        TlsKit.TlsBackend backend = echoBackend(false);
        start(config(backend.address(), "serverName = \"other.internal\"\nrootCAs = [\"%s\"]".formatted(kit.caPem)));
        Socket socket = connect("tcp");
        socket.getOutputStream().write("never delivered".getBytes());
        assertEquals(-1, socket.getInputStream().read(), "an end of stream, no bytes");
        await().atMost(Duration.ofSeconds(5)).until(() -> relay.openConnections("tcp") == 0);
    }

    @Test
    void anUnknownCaClosesTheConnectionAndInsecureSkipVerifyAcceptsIt() throws Exception {
        TlsKit.TlsBackend backend = echoBackend(false);
        start(config(backend.address(), "serverName = \"backend.internal\""));
        Socket refused = connect("tcp");
        refused.getOutputStream().write("x".getBytes());
        assertEquals(-1, refused.getInputStream().read(), "the JVM's trust store does not know the test CA");
        relay.close();
        start(config(backend.address(), "insecureSkipVerify = true"));
        assertEquals("anything goes", echo(connect("tcp"), "anything goes"));
    }

    @Test
    void peerCertSansMustMatch() throws Exception {
        TlsKit.TlsBackend backend = echoBackend(false);
        start(config(backend.address(), "serverName = \"backend.internal\"\nrootCAs = [\"%s\"]\n".formatted(kit.caPem)
                + "peerCertSANs = [{type = \"DNSName\", value = \"someone-else.internal\"}]"));
        Socket socket = connect("tcp");
        socket.getOutputStream().write("x".getBytes());
        assertEquals(-1, socket.getInputStream().read());
    }

    @Test
    void mutualTlsToTheUpstream() throws Exception {
        TlsKit.TlsBackend backend = echoBackend(true);
        String trust = "serverName = \"backend.internal\"\nrootCAs = [\"%s\"]\n".formatted(kit.caPem);
        start(config(backend.address(), trust));
        Socket anonymous = connect("tcp");
        anonymous.getOutputStream().write("x".getBytes());
        assertEquals(-1, anonymous.getInputStream().read(), "the backend wants a client certificate");
        relay.close();
        start(config(backend.address(), trust + "[[tcp.serversTransports.t.tls.certificates]]\ncertFile = \"%s\"\nkeyFile = \"%s\"\n"
                .formatted(kit.certFile("relay-client"), kit.keyFile("relay-client"))));
        assertEquals("with a certificate", echo(connect("tcp"), "with a certificate"));
    }

    @Test
    void aProxyHeaderGoesInTheClearBeforeTheClientHello() throws Exception {
        ServerSocket listener = closing(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        TlsKit.TlsBackend backend = closing(new TlsKit.TlsBackend(listener, kit.serverContext(backendCert, false), false,
                socket -> socket.getInputStream().transferTo(socket.getOutputStream()), true));
        start(config(backend.address(), "serverName = \"backend.internal\"\nrootCAs = [\"%s\"]".formatted(kit.caPem))
                + "[tcp.serversTransports.t.proxyProtocol]\nversion = 2\n");
        assertEquals("behind a header", echo(connect("tcp"), "behind a header"));
        assertEquals(1, backend.proxyHeaders.size());
        ProxyProtocol.Decoded header = ProxyProtocol.decode(backend.proxyHeaders.get(0), backend.proxyHeaders.get(0).length);
        assertTrue(header instanceof ProxyProtocol.Header h && h.source().getAddress().isLoopbackAddress(), header.toString());
    }

    @Test
    void terminationAndUpstreamTlsTogetherCarry20MiBEachWayIntact() throws Exception {
        TlsKit.TlsBackend backend = echoBackend(false);
        start("""
                [entryPoints.tls]
                address = "127.0.0.1:0/tcp"
                [tcp.routers.front]
                rule = "HostSNI(`front.example.com`)"
                service = "svc"
                [tcp.routers.front.tls]
                [tcp.services.svc.loadBalancer]
                serversTransport = "t"
                # The echo still has megabytes in flight when the client's half-close passes: the 100 ms
                # default deadline for the other direction (Traefik's) would cut it on a loaded machine.
                terminationDelay = 30000
                [[tcp.services.svc.loadBalancer.servers]]
                address = "%s"
                tls = true
                [tcp.serversTransports.t.tls]
                serverName = "backend.internal"
                rootCAs = ["%s"]
                [[tls.certificates]]
                certFile = "%s"
                keyFile = "%s"
                """.formatted(backend.address(), kit.caPem, kit.certFile("front"), kit.keyFile("front")));
        SSLContext trusting = kit.clientContext(false, null);
        SSLSocket socket = closing(TlsKit.connect(trusting, relay.port("tls"), "front.example.com"));
        assertEquals("CN=front", TlsKit.servedCn(socket));
        int total = 20 * 1024 * 1024;
        byte[] chunk = new byte[61_440];
        new Random(3).nextBytes(chunk);
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                OutputStream out = socket.getOutputStream();
                for (int n = 0; n < total; n += chunk.length) {
                    int size = Math.min(chunk.length, total - n);
                    out.write(chunk, 0, size);
                    sent.update(chunk, 0, size);
                }
                out.flush();
                socket.shutdownOutput(); // a half-close through both TLS legs ends the echo
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[64 * 1024];
        long count = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            received.update(buffer, 0, n);
            count += n;
        }
        writer.get(30, TimeUnit.SECONDS);
        assertEquals(total, count);
        assertArrayEquals(sent.digest(), received.digest());
    }

    /**
     * Health checks of {@code tls = true} servers speak TLS: the handshake (with the transport's
     * checks) and then send/expect inside it. A server whose certificate fails the checks leaves the
     * rotation; a plaintext PING would have taken the good one out too.
     */
    @Test
    void healthChecksOfTlsServersHandshakeAndSendInsideTls() throws Exception {
        TcpBackend.Handler pingOrEcho = socket -> {
            InputStream in = socket.getInputStream();
            byte[] first = in.readNBytes(4);
            OutputStream out = socket.getOutputStream();
            out.write(new String(first, StandardCharsets.UTF_8).equals("PING") ? "PONG".getBytes(StandardCharsets.UTF_8) : first);
            out.flush();
            in.transferTo(out);
        };
        TlsKit.TlsBackend good = closing(new TlsKit.TlsBackend(kit.serverContext(backendCert, false), false, pingOrEcho));
        TlsKit.TlsBackend wrongName = closing(new TlsKit.TlsBackend(kit.serverContext(kit.leaf("elsewhere", "dns:elsewhere.internal"), false),
                false, pingOrEcho));
        start(config(good.address(), "serverName = \"backend.internal\"\nrootCAs = [\"%s\"]".formatted(kit.caPem))
                .replace("[tcp.serversTransports.t.tls]", """
                        [[tcp.services.svc.loadBalancer.servers]]
                        address = "%s"
                        tls = true
                        [tcp.services.svc.loadBalancer.healthCheck]
                        send = "PING"
                        expect = "PONG"
                        interval = "200ms"
                        timeout = "2s"
                        [tcp.serversTransports.t.tls]""".formatted(wrongName.address())));
        // The good server's first check completed a handshake; the other one's fails faster (its certificate is refused).
        await().atMost(Duration.ofSeconds(10)).until(() -> good.sniSeen.size() >= 1);
        // Two failed checks: the first one's verdict is in (checks of one server follow each other).
        await().atMost(Duration.ofSeconds(10)).until(() -> wrongName.failedHandshakes.get() >= 2);
        assertTrue(wrongName.sniSeen.isEmpty(), "no handshake with the wrong name ever completes");
        for (int i = 0; i < 4; i++) {
            assertEquals("data" + i, echo(connect("tcp"), "data" + i), "every connection goes to the server that passed its check");
        }
    }
}
