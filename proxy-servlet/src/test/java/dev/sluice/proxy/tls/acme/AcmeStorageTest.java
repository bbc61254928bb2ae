package dev.sluice.proxy.tls.acme;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.tls.Certs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Traefik user's {@code acme.json} keeps its certificates: served at once, nothing ordered, other resolvers' parts kept. */
class AcmeStorageTest {
    @TempDir
    Path dir;

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aStorageFileWrittenByTraefikIsServedWithoutOrdering() throws Exception {
        Certs.Issued ca = Certs.ca("Some CA");
        Certs.Issued leaf = Certs.leaf(ca, "traefik.example", List.of("dns:traefik.example", "dns:*.traefik.example"));
        String certPem = Files.readString(leaf.writeCert(dir.resolve("c.pem")));
        String keyPem = Files.readString(leaf.writeKey(dir.resolve("k.pem")));
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        byte[] accountKey = Issuer.toPkcs1(rsa.generateKeyPair().getPrivate());
        // Traefik v3's layout (pkg/provider/acme: StoredData, Account, CertAndStore), a second resolver beside.
        String traefik = """
                {
                  "le": {
                    "Account": {"Email": "ops@traefik.example", "Registration": {"body": {"status": "valid"},
                      "uri": "https://ca.invalid/acme/acct/1"}, "PrivateKey": "%s", "KeyType": "4096"},
                    "Certificates": [{"domain": {"main": "traefik.example", "sans": ["*.traefik.example"]},
                      "certificate": "%s", "key": "%s", "Store": "default"}]
                  },
                  "other": {"Account": null, "Certificates": null}
                }
                """.formatted(Base64.getEncoder().encodeToString(accountKey), b64(certPem), b64(keyPem));
        Path storage = Files.writeString(dir.resolve("acme.json"), traefik);
        var config = ConfigLoader.parse("[certificatesResolvers.le.acme]\ncaServer = \"https://ca.invalid/dir\"\nstorage = \"" + storage
                + "\"\n[certificatesResolvers.le.acme.tlsChallenge]\n", "acme.toml");
        List<AcmeEvent> events = new CopyOnWriteArrayList<>();
        try (AcmeResolvers acme = AcmeResolvers.start(config.certificatesResolvers(),
                AcmeResolver.Options.defaults().withCheckInterval(Duration.ofMillis(50)))) {
            AcmeResolver le = acme.resolver("le").orElseThrow();
            le.addListener(new AcmeResolver.Listener() {
                @Override
                public void certificateChanged(List<String> domains, dev.sluice.proxy.tls.CertifiedKey key) {}

                @Override
                public void event(AcmeEvent event) {
                    events.add(event);
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> le.certificate("a.traefik.example").isPresent());
            assertEquals(leaf.cert(), le.certificate("traefik.example").orElseThrow().chain().get(0));
            le.ensure(List.of("traefik.example", "*.traefik.example"));
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(events::isEmpty);
            assertTrue(le.certificate("other.example").isEmpty());
        }
        // Nothing was ordered, so nothing was written: Traefik's file is as it was.
        assertEquals(traefik, Files.readString(storage));
        assertEquals(new ObjectMapper().readTree(traefik), new ObjectMapper().readTree(storage.toFile()));
    }

    /** A listener added once the storage's certificates serve (as the entry points add theirs) is told of them too. */
    @Test
    void aListenerAddedAfterTheStorageWasReadIsToldOfItsCertificates() throws Exception {
        Certs.Issued ca = Certs.ca("Some CA");
        Certs.Issued leaf = Certs.leaf(ca, "late.example", List.of("dns:late.example"));
        String stored = """
                {"le": {"Account": null, "Certificates": [{"domain": {"main": "late.example"}, "certificate": "%s", "key": "%s",
                  "Store": "default"}]}}
                """.formatted(b64(Files.readString(leaf.writeCert(dir.resolve("c.pem")))),
                b64(Files.readString(leaf.writeKey(dir.resolve("k.pem")))));
        Path storage = Files.writeString(dir.resolve("acme.json"), stored);
        var config = ConfigLoader.parse("[certificatesResolvers.le.acme]\ncaServer = \"https://ca.invalid/dir\"\nstorage = \"" + storage
                + "\"\n[certificatesResolvers.le.acme.tlsChallenge]\n", "acme.toml");
        try (AcmeResolvers acme = AcmeResolvers.start(config.certificatesResolvers(), AcmeResolver.Options.defaults())) {
            AcmeResolver le = acme.resolver("le").orElseThrow();
            await().atMost(Duration.ofSeconds(10)).until(() -> le.certificate("late.example").isPresent());
            List<List<String>> told = new CopyOnWriteArrayList<>();
            le.addListener((domains, key) -> told.add(domains));
            await().atMost(Duration.ofSeconds(10)).until(() -> !told.isEmpty());
            assertEquals(List.of(List.of("late.example")), told);
        }
    }

    @Test
    void anAccountKeyRoundTripsThroughTraefiksPkcs1Form() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        var keys = rsa.generateKeyPair();
        var back = Issuer.fromPkcs1(Issuer.toPkcs1(keys.getPrivate()));
        assertEquals(keys.getPublic(), back.getPublic());
        assertEquals(keys.getPrivate(), back.getPrivate());
    }

    @Test
    void savingKeepsOtherResolversPartsAndWritesTheLedger() throws Exception {
        Path file = Files.writeString(dir.resolve("acme.json"), "{\"other\": {\"Account\": {\"Email\": \"x\"}}}");
        AcmeStorage storage = new AcmeStorage(file, "le");
        Ledger ledger = new Ledger();
        ledger.ordered("a.example", java.time.Instant.parse("2025-01-01T00:00:00Z"));
        ledger.failed("a.example", "refused");
        storage.save(new AcmeStorage.Data(null, List.of(), ledger));
        var root = new ObjectMapper().readTree(file.toFile());
        assertEquals("x", root.get("other").get("Account").get("Email").asText());
        assertEquals(1, root.get("le").get("SluiceLedger").get("certificates").get("a.example").get("failures").asInt());
        AcmeStorage.Data back = storage.load();
        assertEquals(ledger.entries(), back.ledger().entries());
        assertEquals(java.time.Instant.parse("2025-01-01T00:10:00Z"),
                back.ledger().nextAttempt("a.example", Duration.ofMinutes(10), Duration.ofHours(1)));
    }
}
