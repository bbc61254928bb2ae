package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.proxy.tls.Certs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code tls.options.NAME.alpnProtocols} on an HTTPS entry point: a host's options decide what ALPN may
 * choose (default h2 and http/1.1, the server's order first), with real JDK TLS clients offering one
 * protocol or the other, and curl; with each TLS provider.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {TlsProviders.JDK, TlsProviders.CONSCRYPT})
class HttpsAlpnTest {
    @Parameter
    String provider;

    @TempDir
    Path dir;

    private Backend backend;
    private Sluice sluice;
    private int port;

    @BeforeEach
    void start() throws Exception {
        backend = new Backend("alpn");
        Certs.Issued ca = Certs.ca("ALPN CA");
        Certs.Issued leaf = Certs.leaf(ca, "alpn", List.of("dns:both.example.com", "dns:h1.example.com", "dns:h2.example.com"));
        sluice = Sluice.start("""
                [entryPoints.websecure]
                address = "127.0.0.1:0"
                [entryPoints.websecure.http.tls]
                [http.routers.both]
                rule = "Host(`both.example.com`)"
                service = "backend"
                [http.routers.h1]
                rule = "Host(`h1.example.com`)"
                service = "backend"
                [http.routers.h1.tls]
                options = "h1only"
                [http.routers.h2]
                rule = "Host(`h2.example.com`)"
                service = "backend"
                [http.routers.h2.tls]
                options = "h2only"
                [tls.options.h1only]
                alpnProtocols = ["http/1.1"]
                [tls.options.h2only]
                alpnProtocols = ["h2", "acme-tls/1"]
                [[tls.certificates]]
                certFile = "%s"
                keyFile = "%s"
                [[http.services.backend.loadBalancer.servers]]
                url = "%s"
                """.formatted(leaf.writeCert(dir.resolve("alpn.pem")), leaf.writeKey(dir.resolve("alpn.key")), backend.url()),
                TlsProviders.resolve(provider));
        port = sluice.port("websecure");
    }

    @AfterEach
    void stop() throws Exception {
        sluice.close();
        backend.close();
    }

    /** The protocol ALPN chose for a client offering {@code offered} ("" when none was). */
    private String negotiated(String sni, String... offered) throws IOException, Exception {
        Socket plain = new Socket(InetAddress.getLoopbackAddress(), port);
        plain.setSoTimeout(10_000);
        try (SSLSocket socket = (SSLSocket) Certs.trustingEverything().getSocketFactory().createSocket(plain, sni, port, true)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(offered);
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket.getApplicationProtocol();
        }
    }

    @Test
    void theDefaultOptionsOfferH2ThenHttp11() throws Exception {
        assertEquals("http/1.1", negotiated("both.example.com", "http/1.1"));
        assertEquals("h2", negotiated("both.example.com", "h2"));
        assertEquals("h2", negotiated("both.example.com", "http/1.1", "h2")); // the server's preference
        assertEquals("", negotiated("both.example.com")); // no ALPN: HTTP/1.1 without negotiation
    }

    @Test
    void optionsListingOnlyHttp11NeverGiveH2() throws Exception {
        assertEquals("http/1.1", negotiated("h1.example.com", "h2", "http/1.1"));
        assertThrows(IOException.class, () -> negotiated("h1.example.com", "h2")); // nothing in common: refused
        Process curl = new ProcessBuilder("curl", "-sk", "--http2", "--max-time", "10", "--resolve", "h1.example.com:" + port + ":127.0.0.1",
                "-w", "\n%{http_version}", "https://h1.example.com:" + port + "/curl").redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, curl.waitFor());
        assertEquals("alpn\n1.1", out); // curl asked for h2 and got HTTP/1.1
    }

    @Test
    void optionsListingOnlyH2GiveH2AndAnHttp11OnlyClientIsRefused() throws Exception {
        assertEquals("h2", negotiated("h2.example.com", "http/1.1", "h2"));
        assertThrows(IOException.class, () -> negotiated("h2.example.com", "http/1.1"));
        // acme-tls/1 is listed but only served for a pending challenge: it is not a protocol to speak HTTP on.
        assertThrows(IOException.class, () -> negotiated("h2.example.com", "acme-tls/1"));
    }
}
