package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.proxy.tls.Certs;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone server terminating TLS on a TCP router: the certificate of {@code [tls]} served for
 * the router's name, the router's options applied, plaintext relayed to the backend and back.
 */
class TlsTcpTerminationTest {
    @TempDir
    Path dir;

    @Test
    void terminatesTlsWithTheConfiguredCertificateAndOptions() throws Exception {
        Certs.Issued ca = Certs.ca("Standalone Test CA");
        Certs.Issued db = Certs.leaf(ca, "db", List.of("dns:db.example.com"));
        Path certFile = db.writeCert(dir.resolve("db.pem"));
        Path keyFile = db.writeKey(dir.resolve("db.key"));
        try (ServerSocket backend = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread echo = new Thread(() -> {
                try (Socket socket = backend.accept()) {
                    socket.getOutputStream().write("plain backend\n".getBytes());
                    socket.getInputStream().transferTo(socket.getOutputStream());
                } catch (IOException ignored) {
                    // the test sees the effect on the wire
                }
            });
            echo.setDaemon(true);
            echo.start();
            try (Sluice sluice = Sluice.start("""
                    [entryPoints.db]
                    address = "127.0.0.1:0/tcp"
                    [tcp.routers.db]
                    rule = "HostSNI(`db.example.com`)"
                    service = "db"
                    [tcp.routers.db.tls]
                    options = "modern"
                    [[tcp.services.db.loadBalancer.servers]]
                    address = "127.0.0.1:%d"
                    [[tls.certificates]]
                    certFile = "%s"
                    keyFile = "%s"
                    [tls.options.modern]
                    minVersion = "VersionTLS13"
                    """.formatted(backend.getLocalPort(), certFile, keyFile))) {
                Socket plain = new Socket(InetAddress.getLoopbackAddress(), sluice.port("db"));
                plain.setSoTimeout(10_000);
                try (SSLSocket socket = (SSLSocket) trusting(ca).getSocketFactory().createSocket(plain, "db.example.com", plain.getPort(), true)) {
                    SSLParameters params = socket.getSSLParameters();
                    params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name db.example.com
                    socket.setSSLParameters(params);
                    socket.startHandshake();
                    assertEquals("TLSv1.3", socket.getSession().getProtocol());
                    assertEquals("plain backend", line(socket.getInputStream()));
                    socket.getOutputStream().write("ping\n".getBytes());
                    assertEquals("ping", line(socket.getInputStream()));
                }
            }
        }
    }

    private static SSLContext trusting(Certs.Issued ca) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.cert());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
            b.append((char) c);
        }
        return b.toString();
    }
}
