package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.proxy.tls.Certs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 421 Misdirected Request as Traefik's snicheck: a raw TLS client handshakes for one name and sends another
 * in {@code Host}; when the two names select different TLS options the request is refused, else served.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {TlsProviders.JDK, TlsProviders.CONSCRYPT})
class MisdirectedRequestTest {
    @Parameter
    String provider;

    @TempDir
    Path dir;

    private Backend backend;
    private Sluice sluice;
    private int port;

    @BeforeEach
    void start() throws Exception {
        backend = new Backend("served");
        Certs.Issued ca = Certs.ca("SNI check CA");
        Certs.Issued leaf = Certs.leaf(ca, "all", List.of("dns:a.example", "dns:b.example", "dns:c.example", "dns:strict.example"));
        sluice = Sluice.start("""
                [entryPoints.websecure]
                address = "127.0.0.1:0"
                [http.routers.a]
                rule = "Host(`a.example`)"
                service = "backend"
                [http.routers.a.tls]
                [http.routers.b]
                rule = "Host(`b.example`)"
                service = "backend"
                [http.routers.b.tls]
                options = "modern"
                [http.routers.c]
                rule = "Host(`c.example`)"
                service = "backend"
                [http.routers.c.tls]
                [tls.options.modern]
                minVersion = "VersionTLS13"
                [[tls.certificates]]
                certFile = "%s"
                keyFile = "%s"
                [[http.services.backend.loadBalancer.servers]]
                url = "%s"
                """.formatted(leaf.writeCert(dir.resolve("all.pem")), leaf.writeKey(dir.resolve("all.key")), backend.url()),
                TlsProviders.resolve(provider));
        port = sluice.port("websecure");
    }

    @AfterEach
    void stop() throws Exception {
        sluice.close();
        backend.close();
    }

    @Test
    void hostWithOtherOptionsThanTheSniIsMisdirected() throws Exception {
        try (HttpsClient client = HttpsClient.connect(port, "a.example")) {
            HttpsClient.Answer answer = client.get("b.example", "/"); // SNI a.example (default options), Host b.example (modern)
            assertEquals(421, answer.status());
            assertEquals("Misdirected Request\n", answer.body());
            // Same connection, a host with the same options as the SNI: served.
            assertEquals("served", client.get("c.example", "/").body());
            assertEquals(200, client.get("A.EXAMPLE:443", "/").status()); // port dropped, case ignored
            // No router's host: the default options, as a.example's; routed (no router: 404), not refused.
            assertEquals(404, client.get("unknown.example", "/").status());
        }
        try (HttpsClient client = HttpsClient.connect(port, "b.example")) {
            assertEquals(200, client.get("b.example", "/").status());
            assertEquals(200, client.get("b.example.", "/").status()); // a fully qualified Host is the same host
            assertEquals(421, client.get("a.example", "/").status());
        }
        try (HttpsClient client = HttpsClient.connect(port, null)) { // no SNI: default options
            assertEquals(421, client.get("b.example", "/").status());
            assertEquals(200, client.get("a.example", "/").status());
        }
    }

    @Test
    void h2RequestsAreCheckedByTheirAuthority() throws Exception {
        SslContextFactory.Client tls = new SslContextFactory.Client(true);
        tls.setEndpointIdentificationAlgorithm(null);
        // The handshake names a.example whatever the request's authority.
        tls.setSNIProvider((engine, names) -> List.of(new javax.net.ssl.SNIHostName("a.example")));
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(tls);
        org.eclipse.jetty.client.HttpClient jetty = new org.eclipse.jetty.client.HttpClient(
                new HttpClientTransportOverHTTP2(new HTTP2Client(connector)));
        jetty.setSocketAddressResolver((host, p, context, promise) -> promise.succeeded(
                List.of(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), p))));
        jetty.start();
        try {
            ContentResponse misdirected = jetty.GET("https://b.example:" + port + "/"); // :authority b.example
            assertEquals(HttpVersion.HTTP_2, misdirected.getVersion());
            assertEquals(421, misdirected.getStatus());
            assertEquals(200, jetty.GET("https://c.example:" + port + "/").getStatus()); // same options as a.example
        } finally {
            jetty.stop();
        }
    }

    @Test
    void plainRequestsAreNeverMisdirected() throws Exception {
        HttpResponse<String> plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("Host", "b.example").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, plain.statusCode()); // no plain router: routed (not found), not refused with 421
    }
}
