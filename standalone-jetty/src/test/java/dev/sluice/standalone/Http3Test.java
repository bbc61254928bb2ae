package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.tls.Certs;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http3.api.Session;
import org.eclipse.jetty.http3.api.Stream;
import org.eclipse.jetty.http3.client.HTTP3Client;
import org.eclipse.jetty.http3.client.HTTP3ClientQuicConfiguration;
import org.eclipse.jetty.http3.frames.HeadersFrame;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.quic.quiche.client.QuicheClientQuicConfiguration;
import org.eclipse.jetty.quic.quiche.client.QuicheTransport;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/3 on an HTTPS entry point ({@code [entryPoints.NAME.http3]}): Jetty's HTTP/3 client (over
 * quiche, verifying the certificate against the test CA) gets answers from the backend through
 * Sluice over QUIC, and the TLS-over-TCP side advertises it with {@code Alt-Svc}.
 */
class Http3Test {
    @TempDir
    Path dir;

    private Certs.Issued ca;
    private String certificate;
    private Backend backend;
    private HTTP3Client client;
    private QuicheClientQuicConfiguration quic;
    private SslContextFactory.Client clientTls;

    @BeforeEach
    void setUp() throws Exception {
        ca = Certs.ca("HTTP/3 Test CA");
        Certs.Issued leaf = Certs.leaf(ca, "h3.example.com", List.of("dns:h3.example.com", "dns:localhost"));
        certificate = "[[tls.certificates]]\ncertFile = \"" + leaf.writeCert(dir.resolve("h3.pem")) + "\"\nkeyFile = \""
                + leaf.writeKey(dir.resolve("h3.key")) + "\"\n";
        backend = new Backend("h3-backend");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.cert());
        clientTls = new SslContextFactory.Client();
        clientTls.setTrustStore(trust);
        clientTls.setEndpointIdentificationAlgorithm(null); // quiche checks the chain; the name is the test's own
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(clientTls);
        quic = HTTP3ClientQuicConfiguration.configure(new QuicheClientQuicConfiguration(Files.createDirectories(dir.resolve("client-pem"))));
        client = new HTTP3Client(quic, connector);
        client.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        client.stop();
        backend.close();
    }

    private String toml(String http3) {
        return """
                [entryPoints.websecure]
                address = "127.0.0.1:0"
                %s
                [entryPoints.websecure.http.tls]
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "s"
                [http.services.s.loadBalancer]
                [[http.services.s.loadBalancer.servers]]
                url = "%s"
                """.formatted(http3, backend.url()) + certificate;
    }

    /** One GET over HTTP/3: "status body", read to the end of the stream. */
    private String http3Get(int port, String path) throws Exception {
        return http3Get(client, quic, clientTls, "h3.example.com", port, path);
    }

    private static String http3Get(HTTP3Client client, QuicheClientQuicConfiguration quic, SslContextFactory.Client clientTls, String host,
            int port, String path) throws Exception {
        CompletableFuture<Session.Client> connected = new CompletableFuture<>();
        client.connect(new QuicheTransport(quic), clientTls, new InetSocketAddress(java.net.InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1}), port), new Session.Client.Listener() {},
                Promise.Invocable.toPromise(connected));
        Session.Client session = connected.get(15, TimeUnit.SECONDS);
        MetaData.Request request = new MetaData.Request("GET", HttpURI.from("https://" + host + ":" + port + path), HttpVersion.HTTP_3,
                HttpFields.EMPTY);
        CompletableFuture<String> answer = new CompletableFuture<>();
        StringBuilder text = new StringBuilder();
        session.newRequest(new HeadersFrame(request, true), new Stream.Client.Listener() {
            @Override
            public void onResponse(Stream.Client stream, HeadersFrame frame) {
                text.append(((MetaData.Response) frame.getMetaData()).getStatus()).append(' ');
                if (frame.isLast()) {
                    answer.complete(text.toString());
                } else {
                    stream.demand();
                }
            }

            @Override
            public void onDataAvailable(Stream.Client stream) {
                Content.Chunk chunk = stream.read();
                if (chunk == null) {
                    stream.demand();
                    return;
                }
                text.append(StandardCharsets.UTF_8.decode(chunk.getByteBuffer()));
                chunk.release();
                if (chunk.isLast()) {
                    answer.complete(text.toString());
                } else {
                    stream.demand();
                }
            }

            @Override
            public void onFailure(Stream.Client stream, long error, Throwable failure) {
                answer.completeExceptionally(failure);
            }
        }, Promise.Invocable.noop());
        try {
            return answer.get(15, TimeUnit.SECONDS);
        } finally {
            session.goAway(false, Promise.Invocable.noop());
        }
    }

    /** One HTTP/1.1 GET over TLS on TCP: the status and the Alt-Svc header (null when absent). */
    private static String[] overTls(int port) throws Exception {
        try (HttpsClient https = HttpsClient.connect(port, "h3.example.com")) {
            HttpsClient.Answer answer = https.get("h3.example.com", "/tls");
            String altSvc = null;
            for (String line : answer.head().split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("alt-svc:")) {
                    altSvc = line.substring(8).trim();
                }
            }
            return new String[] {Integer.toString(answer.status()), altSvc};
        }
    }

    @Test
    void servesHttp3AndAdvertisesIt() throws Exception {
        try (Sluice sluice = Sluice.start(toml("[entryPoints.websecure.http3]"))) {
            int port = sluice.port("websecure");
            String[] tls = overTls(port);
            assertEquals("200", tls[0]);
            assertEquals("h3=\":" + port + "\"; ma=86400", tls[1], "Alt-Svc on the TLS side");
            backend.take();

            String answer = http3Get(port, "/over/h3?x=1");
            assertTrue(answer.startsWith("200 "), answer);
            Backend.Seen seen = backend.take();
            assertEquals("/over/h3?x=1", seen.pathQuery());
            assertEquals("https", seen.headers().get("X-Forwarded-Proto"));
            assertEquals("h3.example.com:" + port, seen.headers().get("Host"), "the :authority travels as Host");
            // A second request on a new connection: the listener keeps serving.
            assertTrue(http3Get(port, "/again").startsWith("200 "));
            assertEquals("/again", backend.take().pathQuery());
        }
    }

    /** conf/tls/http3.toml: HTTP/3 answers for example.com (its certificate is self-signed: this client trusts any). */
    @Test
    void confExample() throws Exception {
        dev.sluice.proxy.config.SluiceConfig config = dev.sluice.proxy.config.ConfigLoader.load(
                List.of(Path.of("..", "conf", "tls", "http3.toml")));
        assertEquals(List.of(), config.warnings());
        SslContextFactory.Client anyCertificate = new SslContextFactory.Client(true);
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(anyCertificate);
        QuicheClientQuicConfiguration anyQuic = HTTP3ClientQuicConfiguration.configure(
                new QuicheClientQuicConfiguration(Files.createDirectories(dir.resolve("any-pem"))));
        HTTP3Client trusting = new HTTP3Client(anyQuic, connector);
        trusting.start();
        try (Sluice sluice = Sluice.start(Configs.servers(Configs.entryPointsOnLoopback(config, java.util.Set.of("websecure")),
                url -> backend.url()))) {
            int port = sluice.port("websecure");
            try (HttpsClient https = HttpsClient.connect(port, "example.com")) {
                assertTrue(https.get("example.com", "/").head().contains("Alt-Svc: h3=\":443\"; ma=86400"));
            }
            backend.take();
            assertTrue(http3Get(trusting, anyQuic, anyCertificate, "example.com", port, "/conf").startsWith("200 "));
            assertEquals("/conf", backend.take().pathQuery());
        } finally {
            trusting.stop();
        }
    }

    @Test
    void advertisedPortIsAnnounced() throws Exception {
        try (Sluice sluice = Sluice.start(toml("[entryPoints.websecure.http3]\nadvertisedPort = 443"))) {
            assertEquals("h3=\":443\"; ma=86400", overTls(sluice.port("websecure"))[1]);
        }
    }

    @Test
    void withoutHttp3NoAltSvc() throws Exception {
        try (Sluice sluice = Sluice.start(toml(""))) {
            String[] tls = overTls(sluice.port("websecure"));
            assertEquals("200", tls[0]);
            assertNull(tls[1]);
        }
    }

    @Test
    void plainEntryPointIgnoresHttp3WithAWarning() throws Exception {
        String toml = """
                [entryPoints.web]
                address = "127.0.0.1:0"
                [entryPoints.web.http3]
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "s"
                [http.services.s.loadBalancer]
                [[http.services.s.loadBalancer.servers]]
                url = "%s"
                """.formatted(backend.url());
        assertTrue(dev.sluice.proxy.config.ConfigLoader.parse(toml, "t.toml").warnings()
                .contains("`entryPoints.web.http3`: HTTP/3 needs TLS routers on this entry point (none here), ignored"));
        try (Sluice sluice = Sluice.start(toml)) {
            HttpResponse<String> plain = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(sluice.uri("web", "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, plain.statusCode());
            assertNull(plain.headers().firstValue("Alt-Svc").orElse(null));
        }
    }
}
