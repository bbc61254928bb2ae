package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.tls.Certs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

/** conf/tls/https.toml loads without a warning and behaves as its comments say. */
class HttpsConfExampleTest {
    private static final Path FILE = Path.of("..", "conf", "tls", "https.toml");

    @Test
    void redirectsPlainRequestsAndServesTheExampleCertificateWithOptionsPerHost() throws Exception {
        SluiceConfig config = ConfigLoader.load(List.of(FILE));
        assertEquals(List.of(), config.warnings());
        try (Backend site = new Backend("site");
                EmbeddedServer sluice = EmbeddedServer.start(Configs.servers(Configs.entryPointsOnLoopback(config, Set.of("web", "websecure")),
                        url -> url.replace("127.0.0.1:9001", "127.0.0.1:" + site.port())))) {
            int tls = sluice.port("websecure");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> redirect = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sluice.port("web") + "/x"))
                    .header("Host", "example.com").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(301, redirect.statusCode());
            assertEquals("https://example.com:" + tls + "/x", redirect.headers().firstValue("Location").orElseThrow());

            try (HttpsClient client = HttpsClient.connect(tls, "www.example.com", Certs.trustingEverything(), "TLSv1.2")) {
                HttpsClient.Answer answer = client.get("www.example.com", "/");
                assertEquals(200, answer.status());
                assertEquals("example.com", HttpsClient.cn(answer.served())); // through its *.example.com name
                assertEquals(null, site.take().headers().get("X-Forwarded-Tls-Client-Cert-Info"));
            }
            assertThrows(SSLException.class, () -> HttpsClient.connect(tls, "admin.example.com", Certs.trustingEverything(), "TLSv1.2"));
            Certs.Issued ca = Certs.ca("Example Clients");
            try (HttpsClient client = HttpsClient.connect(tls, "admin.example.com",
                    HttpsClient.withClientCertificate(Certs.leaf(ca, "alice", List.of("dns:alice.test")), ca), "TLSv1.3")) {
                assertEquals(200, client.get("admin.example.com", "/").status());
                String info = site.take().headers().get("X-Forwarded-Tls-Client-Cert-Info");
                assertTrue(info != null && info.contains("alice"), "client certificate info: " + info);
            }
            // A connection handshaken for www (default options) cannot reach admin (modern): 421, as Traefik.
            try (HttpsClient client = HttpsClient.connect(tls, "www.example.com", Certs.trustingEverything(), "TLSv1.3")) {
                assertEquals(421, client.get("admin.example.com", "/").status());
                assertEquals(200, client.get("example.com", "/").status());
            }
            // ALPN by the host's options: curl asks for h2, www gets it, admin (modern: http/1.1 only) does not.
            assertEquals("2", curlHttpVersion(tls, "www.example.com"));
            assertEquals("1.1", curlHttpVersion(tls, "admin.example.com"));
            // A plain request on websecure finds no plain router there.
            HttpResponse<String> plain = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tls + "/"))
                    .header("Host", "example.com").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, plain.statusCode());
        }
    }

    private static String curlHttpVersion(int port, String host) throws Exception {
        Process curl = new ProcessBuilder("curl", "-sk", "--http2", "--max-time", "10", "--resolve", host + ":" + port + ":127.0.0.1",
                "-o", "/dev/null", "-w", "%{http_version}", "https://" + host + ":" + port + "/").redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, curl.waitFor(), out);
        return out;
    }

    /** conf/tls/acme.toml: loaded and checked only; starting it would order from Let's Encrypt's staging CA. */
    @Test
    void theAcmeExampleLoadsWithoutWarningsAndNamesItsResolver() throws Exception {
        SluiceConfig config = ConfigLoader.load(List.of(FILE.resolveSibling("acme.toml")));
        assertEquals(List.of(), config.warnings());
        var acme = config.certificatesResolvers().get("le").acme();
        assertEquals("https://acme-staging-v02.api.letsencrypt.org/directory", acme.caServer());
        assertEquals("web", acme.httpChallenge().entryPoint());
        assertTrue(Path.of(acme.storage()).isAbsolute(), "storage is resolved against the file: " + acme.storage());
        assertEquals("le", config.http().routers().get("site").tls().certResolver());
    }
}
