package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.tls.Certs;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TLS passthrough on a TCP entry point of the standalone server: routing by the SNI and ALPN of the
 * ClientHello, the encrypted bytes relayed untouched (the client verifies the upstream's own
 * certificate, signed by a CA made here), and plain traffic on the same port to a plain router.
 */
class TcpPassthroughTest {
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private SSLContext clientTls;
    private SSLContext serverTls;
    private Sluice sluice;

    @BeforeEach
    void certificates() throws Exception {
        Certs.Issued ca = Certs.ca("Sluice Test CA");
        Certs.Issued leaf = Certs.leaf(ca, "upstream", List.of("dns:db.example.com", "dns:api.example.com", "dns:h2.example.com"));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(leaf.keyStore(ca.cert()), "secret".toCharArray());
        serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keys.getKeyManagers(), null, null);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.cert());
        TrustManagerFactory trusted = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trusted.init(trust);
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trusted.getTrustManagers(), null);
    }

    @AfterEach
    void stop() throws Exception {
        if (sluice != null) {
            sluice.close();
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    /** A TLS upstream that greets with {@code name} and the negotiated ALPN protocol, then echoes one line. */
    private int tlsUpstream(String name) throws IOException {
        SSLServerSocket server = (SSLServerSocket) serverTls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        SSLParameters params = server.getSSLParameters();
        params.setApplicationProtocols(new String[] {"h2", "postgresql"});
        server.setSSLParameters(params);
        closeables.add(server);
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (SSLSocket socket = (SSLSocket) server.accept()) {
                    socket.startHandshake();
                    socket.getOutputStream().write((name + " " + socket.getApplicationProtocol() + "\n").getBytes());
                    socket.getOutputStream().flush();
                    int b;
                    while ((b = socket.getInputStream().read()) >= 0) {
                        socket.getOutputStream().write(b);
                        if (b == '\n') {
                            break;
                        }
                    }
                } catch (IOException ignored) {
                    // next connection
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return server.getLocalPort();
    }

    private int plainUpstream() throws IOException {
        java.net.ServerSocket server = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        closeables.add(server);
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    socket.getOutputStream().write("plain\n".getBytes());
                } catch (IOException ignored) {
                    // next connection
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return server.getLocalPort();
    }

    private String tlsGreeting(String serverName, String... alpn) throws Exception {
        String entryPoint = sluice.server.relayEntryPoints().containsKey("tls") ? "tls" : "web";
        Socket plain = new Socket(InetAddress.getLoopbackAddress(), sluice.port(entryPoint));
        plain.setSoTimeout(10_000);
        // The host given here is the SNI and the name the certificate is checked against.
        SSLSocket socket = (SSLSocket) clientTls.getSocketFactory().createSocket(plain, serverName, plain.getPort(), true);
        try (socket) {
            SSLParameters params = socket.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            params.setApplicationProtocols(alpn);
            socket.setSSLParameters(params);
            socket.startHandshake();
            String greeting = line(socket.getInputStream());
            socket.getOutputStream().write("echo me\n".getBytes());
            assertEquals("echo me", line(socket.getInputStream()), "the encrypted stream works both ways");
            return greeting;
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
            b.append((char) c);
        }
        return b.toString();
    }

    @Test
    void routesBySniAndAlpnAndRelaysTheEncryptedBytes() throws Exception {
        int db = tlsUpstream("db");
        int api = tlsUpstream("api");
        int h2 = tlsUpstream("h2");
        int plain = plainUpstream();
        sluice = Sluice.start("""
                [entryPoints.tls]
                address = "127.0.0.1:0/tcp"

                [tcp.routers.db]
                rule = "HostSNI(`db.example.com`)"
                service = "db"
                [tcp.routers.db.tls]
                passthrough = true

                [tcp.routers.api]
                rule = "HostSNIRegexp(`^api\\\\.`)"
                service = "api"
                [tcp.routers.api.tls]
                passthrough = true

                [tcp.routers.h2]
                rule = "HostSNI(`*.example.com`) && ALPN(`h2`)"
                service = "h2"
                priority = 1000
                [tcp.routers.h2.tls]
                passthrough = true

                [tcp.routers.plain]
                rule = "HostSNI(`*`)"
                service = "plain"

                [[tcp.services.db.loadBalancer.servers]]
                address = "127.0.0.1:%d"
                [[tcp.services.api.loadBalancer.servers]]
                address = "127.0.0.1:%d"
                [[tcp.services.h2.loadBalancer.servers]]
                address = "127.0.0.1:%d"
                [[tcp.services.plain.loadBalancer.servers]]
                address = "127.0.0.1:%d"
                """.formatted(db, api, h2, plain));

        assertEquals("db postgresql", tlsGreeting("db.example.com", "postgresql"));
        assertEquals("api postgresql", tlsGreeting("api.example.com", "postgresql"));
        assertEquals("h2 h2", tlsGreeting("db.example.com", "h2"), "ALPN h2 wins by priority");
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), sluice.port("tls"))) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("hello\n".getBytes());
            assertEquals("plain", line(socket.getInputStream()), "plain traffic goes to the HostSNI(`*`) router");
        }
    }

    @Test
    void anUnknownNameWithoutAPlainRouterIsClosed() throws Exception {
        int db = tlsUpstream("db");
        sluice = Sluice.start("""
                [entryPoints.tls]
                address = "127.0.0.1:0/tcp"
                [tcp.routers.db]
                rule = "HostSNI(`db.example.com`)"
                service = "db"
                [tcp.routers.db.tls]
                passthrough = true
                [[tcp.services.db.loadBalancer.servers]]
                address = "127.0.0.1:%d"
                """.formatted(db));
        assertThrows(IOException.class, () -> tlsGreeting("api.example.com", "h2"));
    }

    @Test
    void httpAndTcpEntryPointsSideBySide() throws Exception {
        int plain = plainUpstream();
        try (Backend web = new Backend("W")) {
            sluice = Sluice.start("""
                    [entryPoints.web]
                    address = "127.0.0.1:0"
                    [entryPoints.raw]
                    address = "127.0.0.1:0"
                    [http.routers.site]
                    rule = "PathPrefix(`/`)"
                    service = "site"
                    entryPoints = ["web"]
                    [[http.services.site.loadBalancer.servers]]
                    url = "%s"
                    [tcp.routers.raw]
                    rule = "HostSNI(`*`)"
                    service = "plain"
                    entryPoints = ["raw"]
                    [[tcp.services.plain.loadBalancer.servers]]
                    address = "127.0.0.1:%d"
                    """.formatted("http://127.0.0.1:" + web.port(), plain));
            var client = java.net.http.HttpClient.newHttpClient();
            var response = client.send(java.net.http.HttpRequest.newBuilder(sluice.uri("web", "/x")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), sluice.port("raw"))) {
                socket.setSoTimeout(10_000);
                assertEquals("plain", line(socket.getInputStream()));
            }
            assertTrue(sluice.server.relayEntryPoints().containsKey("raw"));
            assertTrue(sluice.server.connectors().containsKey("web") && !sluice.server.connectors().containsKey("raw"));
        }
    }

    @Test
    void aSharedEntryPointTriesTcpRoutersFirstThenHttp() throws Exception {
        int db = tlsUpstream("db");
        try (Backend web = new Backend("W")) {
            sluice = Sluice.start("""
                    [entryPoints.web]
                    address = "127.0.0.1:0"
                    [http.routers.site]
                    rule = "PathPrefix(`/`)"
                    service = "site"
                    entryPoints = ["web"]
                    [[http.services.site.loadBalancer.servers]]
                    url = "http://127.0.0.1:%d"
                    [tcp.routers.db]
                    rule = "HostSNI(`db.example.com`)"
                    service = "db"
                    entryPoints = ["web"]
                    [tcp.routers.db.tls]
                    passthrough = true
                    [[tcp.services.db.loadBalancer.servers]]
                    address = "127.0.0.1:%d"
                    """.formatted(web.port(), db));
            assertEquals("db postgresql", tlsGreeting("db.example.com", "postgresql"), "TLS for db goes to the TCP router");
            var client = java.net.http.HttpClient.newHttpClient();
            var response = client.send(java.net.http.HttpRequest.newBuilder(sluice.uri("web", "/x")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("W", response.body(), "plain HTTP goes to the HTTP routers");
            assertEquals("127.0.0.1", web.take().headers().get("X-Forwarded-For"), "the client's address, not the relay's hand-off");
        }
    }
}
