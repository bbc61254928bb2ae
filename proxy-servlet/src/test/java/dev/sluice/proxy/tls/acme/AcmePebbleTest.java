package dev.sluice.proxy.tls.acme;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.tls.CertifiedKey;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ACME against a real CA: Pebble on loopback, its validation authority calling this test's HTTP-01 and
 * TLS-ALPN-01 servers, names resolved to 127.0.0.1 by pebble-challtestsrv. Every wait is bounded; the
 * resolvers' clock is the test's, so renewal and back-off are driven without sleeping.
 */
class AcmePebbleTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static ChallengeServers servers;
    private static Pebble pebble;

    @TempDir
    static Path pebbleDir;
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.now());
    private final List<AcmeEvent> events = new CopyOnWriteArrayList<>();
    private final List<CertifiedKey> changes = new CopyOnWriteArrayList<>();
    private AcmeResolvers acme;

    @BeforeAll
    static void startPebble() throws Exception {
        servers = new ChallengeServers();
        pebble = Pebble.start(pebbleDir, servers.httpPort(), servers.tlsPort());
    }

    @AfterAll
    static void stopPebble() throws Exception {
        if (pebble != null) {
            pebble.close();
        }
        if (servers != null) {
            servers.close();
        }
    }

    @AfterEach
    void stopResolvers() {
        if (acme != null) {
            acme.close();
        }
        servers.acme = null;
    }

    private SluiceConfig config(String challenge, String extra) throws Exception {
        return ConfigLoader.parse("""
                [entryPoints.web]
                address = ":0"
                [certificatesResolvers.le.acme]
                email = "ops@sluice.test"
                caServer = "%s"
                caCertificates = ["%s"]
                storage = "%s"
                %s
                %s
                """.formatted(pebble.directory(), pebble.caPem(), dir.resolve("acme.json"), extra, challenge), "acme.toml");
    }

    private static final String HTTP = "[certificatesResolvers.le.acme.httpChallenge]\nentryPoint = \"web\"";
    private static final String TLS = "[certificatesResolvers.le.acme.tlsChallenge]";

    private AcmeResolver start(SluiceConfig config, Duration backoffBase) throws Exception {
        acme = AcmeResolvers.start(config.certificatesResolvers(), AcmeResolver.Options.defaults().withClock(clock)
                .withCheckInterval(Duration.ofMillis(50)).withBackoff(backoffBase, Duration.ofHours(1)));
        servers.acme = acme;
        AcmeResolver le = acme.resolver("le").orElseThrow();
        le.addListener(new AcmeResolver.Listener() {
            @Override
            public void certificateChanged(List<String> domains, CertifiedKey key) {
                changes.add(key);
            }

            @Override
            public void event(AcmeEvent event) {
                events.add(event);
            }
        });
        return le;
    }

    private long count(AcmeEvent.Type type) {
        return events.stream().filter(e -> e.type() == type).count();
    }

    private void awaitEvent(AcmeEvent.Type type, long n) {
        await(type + " x" + n + " in " + events).atMost(WAIT).until(() -> count(type) >= n);
    }

    /** A TLS client trusting only Pebble's root, checking the host name, against the test's TLS server. */
    private X509Certificate[] handshake(String host) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("root", pebble.root());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        Socket plain = new Socket(InetAddress.getLoopbackAddress(), servers.tlsPort());
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, servers.tlsPort(), true)) {
            SSLParameters params = socket.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(params);
            socket.setSoTimeout(5000);
            socket.startHandshake();
            return (X509Certificate[]) socket.getSession().getPeerCertificates();
        }
    }

    @Test
    void http01IssuesACertificateWhoseChainVerifiesAgainstPebblesRoot() throws Exception {
        AcmeResolver le = start(config(HTTP, ""), Duration.ofMinutes(10));
        le.ensure(List.of("http.sluice.test", "www.http.sluice.test"));
        awaitEvent(AcmeEvent.Type.ISSUED, 1);
        assertTrue(servers.http01Requests.get() > 0, "Pebble asked the HTTP-01 server");
        // Pebble orders the SANs as it likes.
        assertEquals(java.util.Set.of("http.sluice.test", "www.http.sluice.test"),
                java.util.Set.copyOf(le.certificate("www.http.sluice.test").orElseThrow().names()));
        assertEquals("EC", le.certificate("http.sluice.test").orElseThrow().key().getAlgorithm(), "keyType EC256 by default");
        X509Certificate[] served = handshake("www.http.sluice.test");
        assertEquals(le.certificate("http.sluice.test").orElseThrow().chain().get(0), served[0]);
        assertEquals(1, changes.size());
        assertEquals(List.of(AcmeEvent.Type.ORDERED, AcmeEvent.Type.ISSUED), events.stream().map(AcmeEvent::type).toList());
    }

    @Test
    void tlsAlpn01IssuesACertificate() throws Exception {
        AcmeResolver le = start(config(TLS, "keyType = \"RSA2048\""), Duration.ofMinutes(10));
        int httpBefore = servers.http01Requests.get();
        le.ensure(List.of("alpn.sluice.test"));
        awaitEvent(AcmeEvent.Type.ISSUED, 1);
        assertEquals(httpBefore, servers.http01Requests.get(), "validated over TLS-ALPN-01 only");
        assertEquals("RSA", le.certificate("alpn.sluice.test").orElseThrow().key().getAlgorithm());
        assertTrue(acme.tlsAlpn01().certificate("alpn.sluice.test").isEmpty(), "the challenge certificate is gone once validated");
        assertEquals(le.certificate("alpn.sluice.test").orElseThrow().chain().get(0), handshake("alpn.sluice.test")[0]);
    }

    @Test
    void theStorageIsTraefiksAcmeJsonWrittenAtomicallyWith0600() throws Exception {
        AcmeResolver le = start(config(HTTP, ""), Duration.ofMinutes(10));
        le.ensure(List.of("store.sluice.test"));
        awaitEvent(AcmeEvent.Type.ISSUED, 1);
        Path storage = dir.resolve("acme.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(storage)));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("acme.json"), files.map(p -> p.getFileName().toString()).toList(), "no temporary file left");
        }
        JsonNode le0 = new ObjectMapper().readTree(storage.toFile()).get("le");
        assertEquals("ops@sluice.test", le0.get("Account").get("Email").asText());
        assertTrue(le0.get("Account").get("Registration").get("uri").asText().startsWith("https://127.0.0.1:"));
        assertEquals("P256", le0.get("Account").get("KeyType").asText());
        JsonNode cert = le0.get("Certificates").get(0);
        assertEquals("store.sluice.test", cert.get("domain").get("main").asText());
        assertEquals("default", cert.get("Store").asText());
        String pem = new String(Base64.getDecoder().decode(cert.get("certificate").asText()), StandardCharsets.US_ASCII);
        assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----"), pem);
        assertEquals(1, le0.get("SluiceLedger").get("orders").size());
    }

    @Test
    void aRestartServesTheStoredCertificateWithoutANewOrder() throws Exception {
        AcmeResolver first = start(config(HTTP, ""), Duration.ofMinutes(10));
        first.ensure(List.of("restart.sluice.test"));
        awaitEvent(AcmeEvent.Type.ISSUED, 1);
        X509Certificate issued = first.certificate("restart.sluice.test").orElseThrow().chain().get(0);
        acme.close();
        events.clear();

        AcmeResolver second = start(config(HTTP, ""), Duration.ofMinutes(10));
        await().atMost(WAIT).until(() -> second.certificate("restart.sluice.test").isPresent());
        assertEquals(issued, second.certificate("restart.sluice.test").orElseThrow().chain().get(0));
        second.ensure(List.of("restart.sluice.test"));
        // Twenty checks and more: none orders.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> count(AcmeEvent.Type.ORDERED) == 0);
        assertEquals(List.of(), events);
    }

    @Test
    void aShortCertificatesDurationRenewsWhenAThirdIsLeft() throws Exception {
        AcmeResolver le = start(config(HTTP, "certificatesDuration = 3"), Duration.ofMinutes(10));
        le.ensure(List.of("renew.sluice.test"));
        awaitEvent(AcmeEvent.Type.ISSUED, 1);
        X509Certificate first = le.certificate("renew.sluice.test").orElseThrow().chain().get(0);
        clock.advance(Duration.ofMinutes(110)); // of 3 hours: 70 minutes left, more than a third
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> count(AcmeEvent.Type.ORDERED) == 1);
        clock.advance(Duration.ofMinutes(15)); // 55 minutes left: due
        awaitEvent(AcmeEvent.Type.RENEWED, 1);
        X509Certificate second = le.certificate("renew.sluice.test").orElseThrow().chain().get(0);
        assertNotEquals(first.getSerialNumber(), second.getSerialNumber());
        assertEquals(second, handshake("renew.sluice.test")[0], "new handshakes get the new certificate");
        assertEquals(2, changes.size());
        assertEquals(2, count(AcmeEvent.Type.ORDERED));
    }

    @Test
    void aCorruptStorageIsReportedMovedAsideAndBackedOffNotReorderedInALoop() throws Exception {
        Path storage = Files.writeString(dir.resolve("acme.json"), "{\"le\": {\"Account\": ");
        AcmeResolver le = start(config(HTTP, ""), Duration.ofMinutes(10));
        le.ensure(List.of("corrupt.sluice.test"));
        // The storage is read in the background from the start, possibly before the test's listener was
        // added: what it did to the file is the witness, not the event.
        Path aside = await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (var files = Files.list(dir)) {
                return files.filter(p -> p.getFileName().toString().startsWith("acme.json.corrupt-")).findFirst().orElse(null);
            }
        }, java.util.Objects::nonNull);
        assertEquals("{\"le\": {\"Account\": ", Files.readString(aside), "the unreadable file is kept for its owner");
        assertTrue(count(AcmeEvent.Type.STORAGE_FAILED) <= 1, "reported once at most (the listener may come after the read)");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> count(AcmeEvent.Type.ORDERED) == 0);
        clock.advance(Duration.ofMinutes(11));
        awaitEvent(AcmeEvent.Type.ISSUED, 1);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> count(AcmeEvent.Type.ORDERED) == 1);
        assertTrue(Files.readString(storage).contains("corrupt.sluice.test"));
    }

    @Test
    void aFailingChallengeBacksOffExponentially() throws Exception {
        AcmeResolver le = start(config(HTTP, ""), Duration.ofMinutes(10));
        le.ensure(List.of("refused.sluice.test"));
        awaitEvent(AcmeEvent.Type.FAILED, 1);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> count(AcmeEvent.Type.ORDERED) == 1);
        clock.advance(Duration.ofMinutes(10));
        awaitEvent(AcmeEvent.Type.FAILED, 2);
        clock.advance(Duration.ofMinutes(10)); // the second failure waits 20 minutes
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> count(AcmeEvent.Type.ORDERED) == 2);
        clock.advance(Duration.ofMinutes(10));
        awaitEvent(AcmeEvent.Type.FAILED, 3);
        assertEquals(3, count(AcmeEvent.Type.ORDERED));
        assertTrue(le.certificate("refused.sluice.test").isEmpty());
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
