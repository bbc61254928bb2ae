package dev.sluice.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.tls.CertifiedKey;
import dev.sluice.proxy.tls.acme.AcmeResolver;
import dev.sluice.proxy.tls.acme.Pebble;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ACME on Sluice's own entry points against a real CA: Sluice starts first (ports 0), then Pebble, told
 * to validate on Sluice's actual plain and TLS ports (names resolved to 127.0.0.1 by pebble-challtestsrv),
 * then a reload names the resolver. Pebble validates over Sluice's HTTP-01 handler or its TLS-ALPN-01
 * handshake; a client trusting only Pebble's root then gets the issued certificate for {@code a.test}
 * and a proxied answer.
 */
class AcmeEntryPointTest {
    private static final Duration ISSUANCE = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private Backend backend;
    private Sluice sluice;
    private Pebble pebble;

    @BeforeEach
    void start() throws Exception {
        backend = new Backend("a");
        sluice = Sluice.start(toml(""));
        pebble = Pebble.start(dir, sluice.port("web"), sluice.port("websecure"));
    }

    @AfterEach
    void stop() throws Exception {
        if (sluice != null) {
            sluice.close();
        }
        if (pebble != null) {
            pebble.close();
        }
        backend.close();
    }

    /** web redirects to websecure (HTTP-01 must pass before it); router a is a TLS router of a.test. */
    private String toml(String acme) {
        return """
                [entryPoints.web]
                address = "127.0.0.1:0"
                [entryPoints.web.http.redirections.entryPoint]
                to = "websecure"
                [entryPoints.websecure]
                address = "127.0.0.1:0"
                [http.routers.a]
                rule = "Host(`a.test`)"
                service = "a"
                entryPoints = ["websecure"]
                [http.routers.a.tls]
                %s
                [[http.services.a.loadBalancer.servers]]
                url = "%s"
                """.formatted(acme, backend.url());
    }

    private String resolver(String challenge) {
        return """
                certResolver = "le"
                [certificatesResolvers.le.acme]
                email = "ops@sluice.test"
                caServer = "%s"
                caCertificates = ["%s"]
                storage = "%s"
                %s
                """.formatted(pebble.directory(), pebble.caPem(), dir.resolve("acme.json"), challenge);
    }

    private CertifiedKey awaitIssued() {
        return await("a certificate for a.test from Pebble").atMost(ISSUANCE).pollInterval(Duration.ofMillis(100))
                .until(() -> sluice.server.acmeResolver("le").flatMap(le -> le.certificate("a.test")), java.util.Optional::isPresent)
                .orElseThrow();
    }

    /** A client trusting only Pebble's root. */
    private SSLContext trustingPebble() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("root", pebble.root());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private void assertServedAndProxied(CertifiedKey issued) throws Exception {
        try (HttpsClient client = HttpsClient.connect(sluice.port("websecure"), "a.test", trustingPebble())) {
            X509Certificate served = client.served();
            assertEquals(issued.chain().get(0), served, "the ACME certificate, its chain verified against Pebble's root");
            assertTrue(served.getSubjectAlternativeNames().stream().anyMatch(san -> "a.test".equals(san.get(1))));
            HttpsClient.Answer answer = client.get("a.test", "/hello");
            assertEquals(200, answer.status(), answer.head());
            assertEquals("/hello", backend.take().pathQuery());
        }
    }

    @Test
    void http01IsAnsweredOnThePlainEntryPointBeforeItsRedirectionAndTheCertificateServes() throws Exception {
        sluice.server.reload(ConfigLoader.parse(toml(resolver("[certificatesResolvers.le.acme.httpChallenge]\nentryPoint = \"web\"")),
                "test.toml"));
        CertifiedKey issued = awaitIssued();
        assertServedAndProxied(issued);

        // An unknown token is a 404 from Sluice itself, not a redirection.
        HttpResponse<String> unknown = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                sluice.uri("web", "/.well-known/acme-challenge/nope")).header("Host", "a.test").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, unknown.statusCode());
        assertEquals("text/plain; charset=utf-8", unknown.headers().firstValue("Content-Type").orElse(""));

        // A reload that leaves the resolver's configuration alone keeps it: no new order, the same certificate.
        AcmeResolver before = sluice.server.acmeResolver("le").orElseThrow();
        sluice.server.reload(ConfigLoader.parse(toml(resolver("[certificatesResolvers.le.acme.httpChallenge]\nentryPoint = \"web\""))
                + "[http.routers.b]\nrule = \"Host(`b.test`)\"\nservice = \"a\"\n", "test.toml"));
        assertSame(before, sluice.server.acmeResolver("le").orElseThrow());
        assertSame(issued, before.certificate("a.test").orElseThrow());
    }

    @Test
    void tlsAlpn01IsAnsweredOnTheTlsEntryPointAndTheCertificateServes() throws Exception {
        try (dev.sluice.proxy.observe.events.WebhookReceiver webhook = new dev.sluice.proxy.observe.events.WebhookReceiver()) {
            // [events] after the resolver's own tables, so that its keys stay out of them.
            sluice.server.reload(ConfigLoader.parse(toml(resolver("[certificatesResolvers.le.acme.tlsChallenge]"))
                    + "[events.webhooks.certs]\nurl = \"" + webhook.url("/certs") + "\"\nevents = [\"certificate.issued\"]\n", "test.toml"));
            CertifiedKey issued = awaitIssued();
            assertServedAndProxied(issued);
            // The resolver's issuance reaches the webhook as certificate.issued (events: ACME's listener).
            com.fasterxml.jackson.databind.JsonNode event = webhook.await("/certs", 1, 20_000).get(0).body();
            assertEquals("certificate.issued", event.get("type").asText());
            assertEquals("a.test", event.get("details").get("domain").asText());
            assertEquals("le", event.get("details").get("resolver").asText());
        }
    }
}
