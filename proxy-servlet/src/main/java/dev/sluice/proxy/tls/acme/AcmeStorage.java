package dev.sluice.proxy.tls.acme;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One resolver's part of a storage file in Traefik's {@code acme.json} format, so a Traefik user's file
 * keeps its account and certificates (and Traefik can read Sluice's):
 *
 * <pre>
 * { "le": { "Account": { "Email": "…", "Registration": { "body": {…}, "uri": "https://…/acct/1" },
 *                        "PrivateKey": "base64 of a PKCS#1 RSA key", "KeyType": "P256" },
 *           "Certificates": [ { "domain": { "main": "example.com", "sans": ["www.example.com"] },
 *                               "certificate": "base64 of the PEM chain", "key": "base64 of the PEM key",
 *                               "Store": "default" } ],
 *           "SluiceLedger": { "orders": ["…"], "certificates": { "example.com,www.example.com": {…} } } } }
 * </pre>
 *
 * Other resolvers' parts of the file are kept as they are. Every write goes to a temporary file with
 * permissions 0600 in the same directory, is forced to disk, then renamed over the old file: a crash
 * leaves the old file or the new one, never half of one.
 */
final class AcmeStorage {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Resolvers sharing one file write it one at a time. */
    private static final Map<Path, Object> LOCKS = new ConcurrentHashMap<>();

    /** An account as Traefik stores it; {@code privateKey} is PKCS#1 DER (Traefik parses only that). */
    record Account(String email, String uri, byte[] privateKey, String keyType) {}

    /** A stored certificate: its domains (the main one first) and PEM texts as written. */
    record Certificate(List<String> domains, String certificatePem, String keyPem) {}

    /** What a resolver keeps. */
    record Data(Account account, List<Certificate> certificates, Ledger ledger) {
        static Data empty() {
            return new Data(null, List.of(), new Ledger());
        }
    }

    /** The file could not be parsed. */
    static final class CorruptException extends IOException {
        CorruptException(String message) {
            super(message);
        }
    }

    private final Path file;
    private final String resolver;

    AcmeStorage(Path file, String resolver) {
        this.file = file.toAbsolutePath();
        this.resolver = resolver;
    }

    Path file() {
        return file;
    }

    /** This resolver's data, empty when the file or its part is absent. */
    Data load() throws IOException {
        synchronized (lock()) {
            ObjectNode root = readRoot();
            JsonNode mine = root.get(resolver);
            if (mine == null || mine.isNull()) {
                return Data.empty();
            }
            try {
                return new Data(account(mine.get("Account")), certificates(mine.get("Certificates")), ledger(mine.get("SluiceLedger")));
            } catch (RuntimeException e) {
                throw new CorruptException("resolver \"" + resolver + "\": " + e.getMessage());
            }
        }
    }

    /** Moves an unreadable file aside (kept for its owner, never overwritten); returns where it went. */
    Path moveAside(Instant now) throws IOException {
        synchronized (lock()) {
            Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + now.toEpochMilli());
            Files.move(file, aside);
            return aside;
        }
    }

    /** Replaces this resolver's part of the file, atomically. */
    void save(Data data) throws IOException {
        synchronized (lock()) {
            ObjectNode root;
            try {
                root = readRoot();
            } catch (CorruptException e) {
                root = JSON.createObjectNode();
            }
            root.set(resolver, toJson(data));
            writeAtomically(JSON.writeValueAsBytes(root));
        }
    }

    private Object lock() {
        return LOCKS.computeIfAbsent(file, f -> new Object());
    }

    private ObjectNode readRoot() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return JSON.createObjectNode();
        }
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode root = JSON.readTree(bytes);
            if (!(root instanceof ObjectNode object)) {
                throw new CorruptException("not a JSON object");
            }
            return object;
        } catch (JsonProcessingException e) {
            throw new CorruptException(e.getOriginalMessage());
        }
    }

    private void writeAtomically(byte[] bytes) throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path temp;
        try {
            temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        }
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(java.nio.ByteBuffer.wrap(bytes));
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static Account account(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        JsonNode registration = node.path("Registration");
        String uri = registration.path("uri").isTextual() ? registration.path("uri").asText() : null;
        JsonNode key = node.get("PrivateKey");
        if (key == null || !key.isTextual()) {
            throw new IllegalArgumentException("Account.PrivateKey missing");
        }
        return new Account(node.path("Email").asText(""), uri, Base64.getDecoder().decode(key.asText()), node.path("KeyType").asText(""));
    }

    private static List<Certificate> certificates(JsonNode node) {
        List<Certificate> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("Certificates is not a list");
        }
        for (JsonNode c : node) {
            List<String> domains = new ArrayList<>();
            JsonNode domain = c.path("domain");
            if (domain.path("main").isTextual()) {
                domains.add(domain.path("main").asText());
            }
            domain.path("sans").forEach(san -> domains.add(san.asText()));
            out.add(new Certificate(domains, decode(c.get("certificate")), decode(c.get("key"))));
        }
        return out;
    }

    /** Base64 as Go writes a {@code []byte}; an unreadable value is an empty text (the certificate counts as lost). */
    private static String decode(JsonNode value) {
        if (value == null || !value.isTextual()) {
            return "";
        }
        try {
            return new String(Base64.getDecoder().decode(value.asText()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static Ledger ledger(JsonNode node) {
        if (node == null || node.isNull()) {
            return new Ledger();
        }
        List<Instant> orders = new ArrayList<>();
        node.path("orders").forEach(at -> orders.add(Instant.parse(at.asText())));
        Map<String, Ledger.Entry> entries = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("certificates").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            entries.put(e.getKey(), new Ledger.Entry(v.path("failures").asInt(0), instant(v.get("lastAttempt")),
                    instant(v.get("lastIssued")), v.path("lastError").isTextual() ? v.path("lastError").asText() : null));
        }
        return new Ledger(entries, orders);
    }

    private static Instant instant(JsonNode value) {
        return value == null || !value.isTextual() ? null : Instant.parse(value.asText());
    }

    private static ObjectNode toJson(Data data) {
        ObjectNode node = JSON.createObjectNode();
        if (data.account() != null) {
            Account a = data.account();
            ObjectNode account = node.putObject("Account");
            account.put("Email", a.email());
            ObjectNode registration = account.putObject("Registration");
            ObjectNode body = registration.putObject("body");
            body.put("status", "valid");
            if (!a.email().isEmpty()) {
                body.putArray("contact").add("mailto:" + a.email());
            }
            registration.put("uri", a.uri());
            account.put("PrivateKey", Base64.getEncoder().encodeToString(a.privateKey()));
            account.put("KeyType", a.keyType());
        }
        ArrayNode certificates = node.putArray("Certificates");
        for (Certificate c : data.certificates()) {
            ObjectNode cert = certificates.addObject();
            ObjectNode domain = cert.putObject("domain");
            domain.put("main", c.domains().get(0));
            if (c.domains().size() > 1) {
                ArrayNode sans = domain.putArray("sans");
                c.domains().subList(1, c.domains().size()).forEach(sans::add);
            }
            cert.put("certificate", Base64.getEncoder().encodeToString(c.certificatePem().getBytes(StandardCharsets.UTF_8)));
            cert.put("key", Base64.getEncoder().encodeToString(c.keyPem().getBytes(StandardCharsets.UTF_8)));
            cert.put("Store", "default");
        }
        ObjectNode ledger = node.putObject("SluiceLedger");
        ArrayNode orders = ledger.putArray("orders");
        data.ledger().orders().forEach(at -> orders.add(at.toString()));
        ObjectNode entries = ledger.putObject("certificates");
        data.ledger().entries().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            ObjectNode v = entries.putObject(e.getKey());
            Ledger.Entry entry = e.getValue();
            v.put("failures", entry.failures());
            if (entry.lastAttempt() != null) {
                v.put("lastAttempt", entry.lastAttempt().toString());
            }
            if (entry.lastIssued() != null) {
                v.put("lastIssued", entry.lastIssued().toString());
            }
            if (entry.lastError() != null) {
                v.put("lastError", entry.lastError());
            }
        });
        return node;
    }
}
