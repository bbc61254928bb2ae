package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.tls.Certs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLException;
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
 * HTTPS on Sluice's own HTTP entry points, over real TLS on 127.0.0.1: certificates by SNI, TLS
 * options per router host, client certificates, versions, ALPN h2, TLS and plain routers on one
 * port, entry point redirections, and certificates replaced by a live reload. Every test runs with
 * each TLS provider ({@code --tls-provider jdk} and {@code conscrypt}): they must behave the same.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {TlsProviders.JDK, TlsProviders.CONSCRYPT})
class HttpsEntryPointTest {
    @Parameter
    String provider;

    @TempDir
    Path dir;

    private Certs.Issued ca;
    private Backend secure;
    private Backend plain;

    @BeforeEach
    void backends() throws Exception {
        ca = Certs.ca("HTTPS Test CA");
        secure = new Backend("secure");
        plain = new Backend("plain");
    }

    @AfterEach
    void stop() throws Exception {
        secure.close();
        plain.close();
    }

    private Sluice start(String toml) throws Exception {
        return Sluice.start(toml, TlsProviders.resolve(provider));
    }

    /** Writes a leaf of {@link #ca} for {@code names} as {@code NAME.pem}/{@code NAME.key}; returns the TOML lines loading it. */
    private String certificate(String file, String cn, String... dnsNames) throws Exception {
        Certs.Issued leaf = Certs.leaf(ca, cn, List.of(dnsNames).stream().map(n -> "dns:" + n).toList());
        Path cert = leaf.writeCert(dir.resolve(file + ".pem"));
        Path key = leaf.writeKey(dir.resolve(file + ".key"));
        return "[[tls.certificates]]\ncertFile = \"" + cert + "\"\nkeyFile = \"" + key + "\"\n";
    }

    private String services() {
        return """
                [[http.services.secure.loadBalancer.servers]]
                url = "%s"
                [[http.services.plain.loadBalancer.servers]]
                url = "%s"
                """.formatted(secure.url(), plain.url());
    }

    @Test
    void certificateChosenBySniExactThenWildcardThenDefault() throws Exception {
        Certs.Issued fallback = Certs.leaf(ca, "fallback", List.of("dns:fallback.test"));
        String toml = """
                [entryPoints.websecure]
                address = "127.0.0.1:0"
                [entryPoints.websecure.http.tls]
                [http.routers.all]
                rule = "PathPrefix(`/`)"
                service = "secure"
                [tls.stores.default.defaultCertificate]
                certFile = "%s"
                keyFile = "%s"
                """.formatted(fallback.writeCert(dir.resolve("fallback.pem")), fallback.writeKey(dir.resolve("fallback.key")))
                + certificate("a", "a", "a.example.com") + certificate("b", "b", "b.example.com")
                + certificate("wild", "wild", "*.wild.example.com") + services();
        try (Sluice sluice = start(toml)) {
            int port = sluice.port("websecure");
            assertEquals("a", served(port, "a.example.com"));
            assertEquals("b", served(port, "b.example.com"));
            assertEquals("wild", served(port, "x.wild.example.com"));
            assertEquals("fallback", served(port, "deep.x.wild.example.com")); // a wildcard covers one label
            assertEquals("fallback", served(port, "unknown.example.com"));
            assertEquals("fallback", served(port, null));
            try (HttpsClient client = HttpsClient.connect(port, "a.example.com")) {
                HttpsClient.Answer answer = client.get("a.example.com", "/x");
                assertEquals(200, answer.status());
                assertEquals("secure", answer.body());
                assertEquals("TLSv1.3", answer.protocol()); // TLS 1.3 by default
                assertEquals("https", secure.take().headers().get("X-Forwarded-Proto"));
            }
        }
    }

    private static String served(int port, String sni) throws Exception {
        try (HttpsClient client = HttpsClient.connect(port, sni)) {
            return HttpsClient.cn(client.served());
        }
    }

    @Test
    void sniStrictRefusesUnknownNamesAndGeneratedDefaultServesOtherwise() throws Exception {
        String base = """
                [entryPoints.websecure]
                address = "127.0.0.1:0"
                [http.routers.a]
                rule = "Host(`a.example.com`)"
                service = "secure"
                [http.routers.a.tls]
                """ + certificate("a", "a", "a.example.com") + services();
        try (Sluice sluice = start(base)) {
            assertEquals("TRAEFIK DEFAULT CERT", served(sluice.port("websecure"), "other.example.com"));
        }
        try (Sluice sluice = start(base + "[tls.options.default]\nsniStrict = true\n")) {
            int port = sluice.port("websecure");
            assertEquals("a", served(port, "a.example.com"));
            assertThrows(SSLException.class, () -> served(port, "other.example.com"));
            assertThrows(SSLException.class, () -> served(port, null));
        }
    }

    @Test
    void tlsRouterAndPlainRouterShareHostAndPort() throws Exception {
        try (Sluice sluice = start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.secure]
                rule = "Host(`app.example.com`)"
                service = "secure"
                [http.routers.secure.tls]
                [http.routers.plain]
                rule = "Host(`app.example.com`)"
                service = "plain"
                [http.routers.onlyplain]
                rule = "Host(`plain.example.com`)"
                service = "plain"
                """ + certificate("app", "app", "app.example.com") + services())) {
            int port = sluice.port("web");
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> overPlain = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .header("Host", "app.example.com").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("plain", overPlain.body());
            assertEquals("http", plain.take().headers().get("X-Forwarded-Proto"));
            try (HttpsClient client = HttpsClient.connect(port, "app.example.com")) {
                assertEquals("secure", client.get("app.example.com", "/").body());
                assertEquals(404, client.get("plain.example.com", "/").status()); // a plain router never answers over TLS
            }
        }
    }

    @Test
    void clientAuthAndVersionsFollowTheOptionsOfTheRouterHost() throws Exception {
        Certs.Issued otherCa = Certs.ca("Other CA");
        Path caFile = ca.writeCert(dir.resolve("ca.pem"));
        try (Sluice sluice = start("""
                [entryPoints.websecure]
                address = "127.0.0.1:0"
                [http.routers.mtls]
                rule = "Host(`mtls.example.com`)"
                service = "secure"
                middlewares = ["client-cert"]
                [http.routers.mtls.tls]
                options = "mtls"
                [http.routers.modern]
                rule = "Host(`modern.example.com`)"
                service = "secure"
                [http.routers.modern.tls]
                options = "modern"
                [http.routers.open]
                rule = "Host(`open.example.com`)"
                service = "secure"
                [http.routers.open.tls]
                [http.middlewares.client-cert.passTLSClientCert]
                pem = true
                [tls.options.mtls.clientAuth]
                clientAuthType = "RequireAndVerifyClientCert"
                caFiles = ["%s"]
                [tls.options.modern]
                minVersion = "VersionTLS13"
                """.formatted(caFile) + certificate("all", "all", "mtls.example.com", "modern.example.com", "open.example.com")
                + services())) {
            int port = sluice.port("websecure");
            Certs.Issued alice = Certs.leaf(ca, "alice", List.of("dns:alice.example.com"));
            try (HttpsClient client = HttpsClient.connect(port, "mtls.example.com", HttpsClient.withClientCertificate(alice, ca))) {
                assertEquals(200, client.get("mtls.example.com", "/").status());
                String forwarded = secure.take().headers().get("X-Forwarded-Tls-Client-Cert");
                assertTrue(forwarded != null && !forwarded.isEmpty(), "passTLSClientCert forwards the client's certificate");
            }
            assertThrows(IOException.class, () -> HttpsClient.connect(port, "mtls.example.com").get("mtls.example.com", "/"));
            Certs.Issued mallory = Certs.leaf(otherCa, "mallory", List.of("dns:mallory.example.com"));
            assertThrows(IOException.class, () -> HttpsClient.connect(port, "mtls.example.com",
                    HttpsClient.withClientCertificate(mallory, otherCa)).get("mtls.example.com", "/"));
            // Other hosts of the entry point keep the default options: no client certificate asked for.
            try (HttpsClient client = HttpsClient.connect(port, "open.example.com", Certs.trustingEverything(), "TLSv1.2")) {
                assertEquals(200, client.get("open.example.com", "/").status());
            }
            assertThrows(SSLException.class, () -> HttpsClient.connect(port, "modern.example.com", Certs.trustingEverything(), "TLSv1.2"));
            try (HttpsClient client = HttpsClient.connect(port, "modern.example.com", Certs.trustingEverything(), "TLSv1.3")) {
                assertEquals(200, client.get("modern.example.com", "/").status());
            }
        }
    }

    @Test
    void http2OverAlpnWithJettyClientAndCurl() throws Exception {
        try (Sluice sluice = start("""
                [entryPoints.websecure]
                address = "127.0.0.1:0"
                [entryPoints.websecure.http.tls]
                [http.routers.all]
                rule = "PathPrefix(`/`)"
                service = "secure"
                """ + certificate("h2", "h2", "h2.example.com") + services())) {
            int port = sluice.port("websecure");
            SslContextFactory.Client tls = new SslContextFactory.Client(true);
            tls.setEndpointIdentificationAlgorithm(null);
            ClientConnector connector = new ClientConnector();
            connector.setSslContextFactory(tls);
            org.eclipse.jetty.client.HttpClient jetty = new org.eclipse.jetty.client.HttpClient(
                    new HttpClientTransportOverHTTP2(new HTTP2Client(connector)));
            jetty.start();
            try {
                ContentResponse response = jetty.GET("https://127.0.0.1:" + port + "/h2");
                assertEquals(200, response.getStatus());
                assertEquals(HttpVersion.HTTP_2, response.getVersion());
                assertEquals("secure", response.getContentAsString());
                assertEquals("https", secure.take().headers().get("X-Forwarded-Proto"));
            } finally {
                jetty.stop();
            }
            Process curl = new ProcessBuilder("curl", "-sk", "--http2", "--max-time", "10", "--resolve", "h2.example.com:" + port + ":127.0.0.1",
                    "-w", "\n%{http_version}", "https://h2.example.com:" + port + "/curl").redirectErrorStream(true).start();
            String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, curl.waitFor());
            assertEquals("secure\n2", out);
        }
    }

    @Test
    void handshakesRunOnTheChosenProvider() throws Exception {
        var config = ConfigLoader.parse("""
                [entryPoints.websecure]
                address = "127.0.0.1:0"
                [entryPoints.websecure.http.tls]
                """ + certificate("p", "p", "p.example.com"), "test.toml");
        var termination = dev.sluice.proxy.tls.HttpsTermination.of(config, dev.sluice.proxy.config.HttpTls.of(config), "websecure",
                dev.sluice.proxy.tls.CertificateStore.load(config.tls()), dev.sluice.proxy.tls.CertificateLookup.NONE,
                TlsProviders.resolve(provider));
        String engine = termination.newEngine("p.example.com").getClass().getName();
        assertTrue(engine.startsWith(provider.equals(TlsProviders.JDK) ? "sun.security.ssl." : "org.conscrypt."), engine);
    }

    /** A client that kept its session (openssl's {@code -sess_out}/{@code -sess_in}) resumes it: an abbreviated handshake. */
    @Test
    void sessionsAreResumed() throws Exception {
        try (Sluice sluice = start("""
                [entryPoints.websecure]
                address = "127.0.0.1:0"
                [entryPoints.websecure.http.tls]
                [http.routers.all]
                rule = "PathPrefix(`/`)"
                service = "secure"
                """ + certificate("site", "site", "site.example.com") + services())) {
            int port = sluice.port("websecure");
            Path session = dir.resolve("session.pem");
            String first = openssl(port, "-sess_out", session.toString());
            assertTrue(first.contains("New, TLSv1.3"), first);
            assertTrue(first.contains("HTTP/1.1 200"), first);
            String second = openssl(port, "-sess_in", session.toString());
            assertTrue(second.contains("Reused, TLSv1.3"), second);
            assertTrue(second.contains("HTTP/1.1 200"), second);
        }
    }

    /** Without options, TLS 1.2 is the lowest version: a client offering only TLS 1.1 is refused, one offering 1.2 served. */
    @Test
    void tls12IsTheLowestVersionByDefault() throws Exception {
        try (Sluice sluice = start("""
                [entryPoints.websecure]
                address = "127.0.0.1:0"
                [entryPoints.websecure.http.tls]
                [http.routers.all]
                rule = "PathPrefix(`/`)"
                service = "secure"
                """ + certificate("site", "site", "site.example.com") + services())) {
            int port = sluice.port("websecure");
            String tls12 = openssl(port, "-tls1_2");
            assertTrue(tls12.contains("New, TLSv1.2") && tls12.contains("HTTP/1.1 200"), tls12);
            // OpenSSL 3 itself allows TLS 1.1 only at security level 0.
            String tls11 = openssl(port, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
            assertTrue(!tls11.contains("HTTP/1.1 200") && !tls11.contains("New, TLSv1.1"), tls11);
        }
    }

    /** One GET with {@code Connection: close} through {@code openssl s_client}, read until the server closes; its output. */
    private String openssl(int port, String... extraArgs) throws Exception {
        Path request = dir.resolve("request.txt");
        java.nio.file.Files.writeString(request, "GET / HTTP/1.1\r\nHost: site.example.com\r\nConnection: close\r\n\r\n");
        List<String> command = new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "site.example.com", "-ign_eof"));
        command.addAll(List.of(extraArgs));
        Process process = new ProcessBuilder(command).redirectInput(request.toFile()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS), "openssl s_client did not end");
        return out;
    }

    @Test
    void plainRequestsRedirectedToTheTlsEntryPointButAcmeChallenges() throws Exception {
        try (Sluice sluice = start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [entryPoints.web.http.redirections.entryPoint]
                to = "websecure"
                [entryPoints.websecure]
                address = "127.0.0.1:0"
                [entryPoints.websecure.http.tls]
                [entryPoints.temp]
                address = "127.0.0.1:0"
                [entryPoints.temp.http.redirections.entryPoint]
                to = ":443"
                permanent = false
                [http.routers.all]
                rule = "PathPrefix(`/`)"
                service = "secure"
                [http.routers.challenge]
                rule = "PathPrefix(`/.well-known/acme-challenge/`)"
                entryPoints = ["web"]
                service = "plain"
                """ + certificate("site", "site", "site.example.com") + services())) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();
            URI web = URI.create("http://127.0.0.1:" + sluice.port("web") + "/path?q=1");
            HttpResponse<String> get = http.send(HttpRequest.newBuilder(web).header("Host", "site.example.com").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(301, get.statusCode());
            assertEquals("https://site.example.com:" + sluice.port("websecure") + "/path?q=1", get.headers().firstValue("Location").orElseThrow());
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(web).header("Host", "site.example.com")
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(308, post.statusCode());
            HttpResponse<String> temp = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sluice.port("temp") + "/t"))
                    .header("Host", "site.example.com").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(302, temp.statusCode());
            assertEquals("https://site.example.com/t", temp.headers().firstValue("Location").orElseThrow()); // 443 is implied
            HttpResponse<String> challenge = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sluice.port("web")
                    + "/.well-known/acme-challenge/token")).header("Host", "site.example.com").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, challenge.statusCode());
            assertEquals("plain", challenge.body());
        }
    }

    @Test
    void reloadServesNewCertificateToNewHandshakesAndKeepsEstablishedConnections() throws Exception {
        String head = """
                [entryPoints.websecure]
                address = "127.0.0.1:0"
                [entryPoints.websecure.http.tls]
                [http.routers.all]
                rule = "PathPrefix(`/`)"
                service = "secure"
                """ + services();
        try (Sluice sluice = start(head + certificate("site", "first", "site.example.com"))) {
            int port = sluice.port("websecure");
            try (HttpsClient old = HttpsClient.connect(port, "site.example.com")) {
                assertEquals("first", HttpsClient.cn(old.get("site.example.com", "/").served()));
                // Same files, new contents: the reload reads them again.
                String reloaded = head + certificate("site", "second", "site.example.com");
                sluice.server.reload(ConfigLoader.parse(reloaded, "test.toml"));
                assertEquals("second", served(port, "site.example.com"));
                assertEquals(port, sluice.port("websecure")); // the listener stayed
                HttpsClient.Answer again = old.get("site.example.com", "/again");
                assertEquals(200, again.status());
                assertEquals("first", HttpsClient.cn(again.served()));
            }
            // Options change live too.
            sluice.server.reload(ConfigLoader.parse(head + certificate("site", "third", "site.example.com")
                    + "[tls.options.default]\nminVersion = \"VersionTLS13\"\n", "test.toml"));
            assertThrows(SSLException.class, () -> HttpsClient.connect(port, "site.example.com", Certs.trustingEverything(), "TLSv1.2"));
            assertEquals("third", served(port, "site.example.com"));
        }
    }

    @Test
    void aCertificateFileRewrittenInPlaceIsServedWithoutARestart() throws Exception {
        Path file = dir.resolve("watched.toml");
        String config = """
                [providers]
                providersThrottleDuration = "0s"
                [entryPoints.websecure]
                address = "127.0.0.1:0"
                [entryPoints.websecure.http.tls]
                [http.routers.all]
                rule = "PathPrefix(`/`)"
                service = "secure"
                """ + services() + certificate("renewed", "before", "site.example.com");
        java.nio.file.Files.writeString(file, config);
        try (Watched sluice = Watched.start(file, TlsProviders.resolve(provider))) {
            int port = sluice.server.port("websecure");
            assertEquals("before", served(port, "site.example.com"));
            certificate("renewed", "after", "site.example.com"); // what a renewal job (certbot, cert-manager) does: new file contents
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3))
                    .until(() -> "after".equals(served(port, "site.example.com")));
            assertEquals(1, sluice.watcher.applied());
        }
    }
}
