package dev.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.tls.Certs;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TCP routers that terminate TLS, over real sockets with JDK TLS clients: the certificate chosen by
 * SNI, the default one, {@code sniStrict}, versions, client certificates, ALPN, half-close, an
 * incoming PROXY header before the handshake, and backpressure from a slow TLS reader.
 */
class TlsTerminationTest extends RelayFixture {
    @TempDir
    static Path dir;
    static TlsKit kit;
    static Certs.Issued alice;


    @BeforeAll
    static void certificates() throws Exception {
        kit = new TlsKit(dir);
        kit.leaf("db", "dns:db.example.com");
        kit.leaf("wild", "dns:*.apps.example.com");
        kit.leaf("fallback", "dns:fallback.example.com");
        alice = kit.leaf("alice", "dns:alice");
    }

    /** Entry point "tls" with a router terminating TLS for any SNI to {@code backend}, and the certificates db and wild. */
    private String config(String backend, String routerTls, String extra) {
        return """
                [entryPoints.tls]
                address = "127.0.0.1:0/tcp"
                [tcp.routers.all]
                rule = "HostSNI(`*`)"
                service = "svc"
                [tcp.routers.all.tls]
                %s
                [[tcp.services.svc.loadBalancer.servers]]
                address = "%s"
                [[tls.certificates]]
                certFile = "%s"
                keyFile = "%s"
                [[tls.certificates]]
                certFile = "%s"
                keyFile = "%s"
                stores = ["default"]
                %s
                """.formatted(routerTls, backend, kit.certFile("db"), kit.keyFile("db"), kit.certFile("wild"), kit.keyFile("wild"), extra);
    }

    private void start(String toml) throws Exception {
        relay = Relay.start(ConfigLoader.parse(toml, "t.toml"));
    }

    private SSLSocket connect(SSLContext context, String sni, String... alpn) throws IOException {
        return closing(TlsKit.connect(context, relay.port("tls"), sni, alpn));
    }

    private static String echo(SSLSocket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        return new String(socket.getInputStream().readNBytes(text.length()), StandardCharsets.UTF_8);
    }

    @Test
    void theCertificateIsChosenBySniExactThenWildcardAndThePlaintextReachesTheService() throws Exception {
        TcpBackend echo = closing(TcpBackend.echo());
        start(config(echo.address(), "", ""));
        SSLContext client = kit.clientContext(false, null);
        SSLSocket db = connect(client, "db.example.com");
        assertEquals("CN=db", TlsKit.servedCn(db));
        assertEquals("hello db", echo(db, "hello db"), "the backend got plaintext and answered through TLS");
        SSLSocket app = connect(client, "shop.apps.example.com");
        assertEquals("CN=wild", TlsKit.servedCn(app));
        assertEquals("hello app", echo(app, "hello app"));
        assertEquals("TLSv1.3", app.getSession().getProtocol());
    }

    @Test
    void anUnknownNameGetsTheDefaultCertificate() throws Exception {
        TcpBackend echo = closing(TcpBackend.echo());
        start(config(echo.address(), "", """
                [tls.stores.default.defaultCertificate]
                certFile = "%s"
                keyFile = "%s"
                """.formatted(kit.certFile("fallback"), kit.keyFile("fallback"))));
        SSLSocket socket = connect(kit.clientContext(false, null), "unknown.example.org");
        assertEquals("CN=fallback", TlsKit.servedCn(socket));
        assertEquals("ok", echo(socket, "ok"));
        SSLSocket noSni = connect(kit.clientContext(false, null), null);
        assertEquals("CN=fallback", TlsKit.servedCn(noSni), "no SNI at all: the default too");
    }

    @Test
    void withoutADefaultCertificateASelfSignedOneIsServed() throws Exception {
        TcpBackend echo = closing(TcpBackend.echo());
        start(config(echo.address(), "", ""));
        SSLSocket socket = connect(kit.clientContext(true, null), "unknown.example.org");
        assertEquals("CN=TRAEFIK DEFAULT CERT", TlsKit.servedCn(socket));
        assertEquals("ok", echo(socket, "ok"));
        assertThrows(SSLException.class, () -> connect(kit.clientContext(false, null), "unknown.example.org"),
                "a client trusting only real CAs refuses it");
    }

    @Test
    void sniStrictRefusesAHandshakeWithoutAMatchingName() throws Exception {
        TcpBackend echo = closing(TcpBackend.echo());
        start(config(echo.address(), "options = \"strict\"", """
                [tls.options.strict]
                sniStrict = true
                """));
        SSLContext client = kit.clientContext(true, null);
        assertThrows(SSLException.class, () -> connect(client, "unknown.example.org"));
        assertThrows(SSLException.class, () -> connect(client, null));
        assertEquals("CN=db", TlsKit.servedCn(connect(client, "db.example.com")));
    }

    @Test
    void minVersionTls13RefusesATls12OnlyClient() throws Exception {
        TcpBackend echo = closing(TcpBackend.echo());
        start(config(echo.address(), "options = \"modern\"", """
                [tls.options.modern]
                minVersion = "VersionTLS13"
                """));
        SSLContext client = kit.clientContext(false, null);
        SSLSocket old = closing(TlsKit.client(client, new Socket(InetAddress.getLoopbackAddress(), relay.port("tls")), "db.example.com",
                new String[] {"TLSv1.2"}));
        assertThrows(SSLException.class, old::startHandshake);
        assertEquals("TLSv1.3", connect(client, "db.example.com").getSession().getProtocol());
    }

    @Test
    void theDefaultOptionsAreTls12AndUpAndApplyWithoutAName() throws Exception {
        TcpBackend echo = closing(TcpBackend.echo());
        start(config(echo.address(), "", ""));
        SSLContext client = kit.clientContext(false, null);
        SSLSocket tls12 = closing(TlsKit.client(client, new Socket(InetAddress.getLoopbackAddress(), relay.port("tls")), "db.example.com",
                new String[] {"TLSv1.2"}));
        tls12.startHandshake();
        assertEquals("TLSv1.2", tls12.getSession().getProtocol());
        assertEquals("twelve", echo(tls12, "twelve"));
    }

    @Test
    void requireAndVerifyClientCertWantsACertificateFromTheCa() throws Exception {
        TcpBackend echo = closing(TcpBackend.echo());
        start(config(echo.address(), "options = \"mtls\"", """
                [tls.options.mtls.clientAuth]
                caFiles = ["%s"]
                clientAuthType = "RequireAndVerifyClientCert"
                """.formatted(kit.caPem)));
        SSLSocket withCert = connect(kit.clientContext(false, alice), "db.example.com");
        assertEquals("signed in", echo(withCert, "signed in"));
        // TLS 1.3: the client's side of the handshake may complete before the server refuses; then the first read fails.
        assertThrows(IOException.class, () -> {
            SSLSocket anonymous = connect(kit.clientContext(false, null), "db.example.com");
            anonymous.getOutputStream().write("x".getBytes());
            anonymous.getOutputStream().flush();
            if (anonymous.getInputStream().read() < 0) {
                throw new IOException("closed without an answer");
            }
        });
    }

    @Test
    void alpnIsNegotiatedOnlyWhenTheOptionsSayWhich() throws Exception {
        TcpBackend echo = closing(TcpBackend.echo());
        start(config(echo.address(), "", """
                [tls.options.h2]
                alpnProtocols = ["h2", "http/1.1"]
                """) + """
                [tcp.routers.h2]
                rule = "HostSNI(`*.apps.example.com`)"
                service = "svc"
                [tcp.routers.h2.tls]
                options = "h2"
                """);
        SSLContext client = kit.clientContext(false, null);
        assertEquals("", connect(client, "db.example.com", "h2", "http/1.1").getApplicationProtocol(),
                "a plaintext backend cannot speak h2 because the client offered it");
        SSLSocket h2 = connect(client, "x.apps.example.com", "h2", "http/1.1");
        assertEquals("h2", h2.getApplicationProtocol());
        assertEquals("CN=wild", TlsKit.servedCn(h2));
    }

    @Test
    void halfCloseThroughTlsLetsTheServerKeepAnswering() throws Exception {
        // The backend reads to the end of stream, then answers: only possible if the close_notify became a FIN upstream.
        TcpBackend upper = closing(new TcpBackend(socket -> {
            String request = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            socket.getOutputStream().write(request.toUpperCase().getBytes(StandardCharsets.UTF_8));
        }));
        start(config(upper.address(), "", ""));
        SSLSocket socket = connect(kit.clientContext(false, null), "db.example.com");
        socket.getOutputStream().write("hello through tls".getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        socket.shutdownOutput();
        assertEquals("HELLO THROUGH TLS", new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void anIncomingProxyHeaderComesBeforeTheHandshakeAndItsAddressGoesUpstream() throws Exception {
        TcpBackend reporter = closing(new TcpBackend(socket -> {
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
                line.append((char) c);
            }
            socket.getOutputStream().write((line.toString().trim() + "\n").getBytes(StandardCharsets.US_ASCII));
            in.transferTo(socket.getOutputStream());
        }));
        start(config(reporter.address(), "", "") .replace("[entryPoints.tls]\naddress = \"127.0.0.1:0/tcp\"",
                "[entryPoints.tls]\naddress = \"127.0.0.1:0/tcp\"\n[entryPoints.tls.proxyProtocol]\ninsecure = true")
                + "[tcp.services.svc.loadBalancer.proxyProtocol]\nversion = 1\n");
        Socket plain = new Socket(InetAddress.getLoopbackAddress(), relay.port("tls"));
        ByteBuffer header = ProxyProtocol.encode(2, new InetSocketAddress(InetAddress.getByName("203.0.113.7"), 40000),
                new InetSocketAddress(InetAddress.getByName("198.51.100.1"), 443));
        byte[] bytes = new byte[header.remaining()];
        header.get(bytes);
        plain.getOutputStream().write(bytes);
        SSLSocket socket = closing(TlsKit.client(kit.clientContext(false, null), plain, "db.example.com", null));
        socket.startHandshake();
        StringBuilder line = new StringBuilder();
        for (int c; (c = socket.getInputStream().read()) >= 0 && c != '\n'; ) {
            line.append((char) c);
        }
        assertTrue(line.toString().startsWith("PROXY TCP4 203.0.113.7 "), line.toString());
        assertEquals("still tls", echo(socket, "still tls"));
    }

    @Test
    void aSlowTlsReaderStopsTheUpstreamWriterAndEveryByteArrives() throws Exception {
        Firehose firehose = new Firehose(40 * 1024 * 1024, 5);
        TcpBackend upstream = closing(new TcpBackend(firehose));
        start(config(upstream.address(), "", ""));
        Socket plain = new Socket();
        plain.setReceiveBufferSize(64 * 1024);
        plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), relay.port("tls")));
        SSLSocket socket = closing(TlsKit.client(kit.clientContext(false, null), plain, "db.example.com", null));
        InputStream in = socket.getInputStream();
        in.read(); // the connection is up and the upstream is writing
        // Nobody reads: the upstream must stall once the socket buffers and the relay's bounded buffers are full.
        long stalledAt = firehose.awaitStalled();
        assertTrue(stalledAt < firehose.total / 4, "the writer is held back: " + stalledAt + " bytes written");
        firehose.assertEveryByteArrives(in);
    }
}
