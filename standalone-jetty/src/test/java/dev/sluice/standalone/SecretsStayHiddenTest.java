package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.config.ConfigException;
import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.tls.Certs;
import java.io.StringWriter;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of secret a configuration holds (basicAuth and digestAuth hashes, a JWT secret, API keys,
 * header values that carry credentials, an inline TLS private key, an ACME EAB key, webhook URLs and
 * their headers, OTLP exporter headers, a Redis password) never shows: not in the logs of a start,
 * not in any API answer, not in {@code sluice check}'s output, not in a configuration error. Each
 * secret is a distinct canary string, searched for everywhere.
 */
class SecretsStayHiddenTest {
    private static final Map<String, String> CANARIES = Map.ofEntries(
            Map.entry("basicAuth hash", "{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g="),
            Map.entry("digestAuth hash", "ca7a5eedca7a5eedca7a5eedca7a5eed"),
            Map.entry("jwt secret", "canary-jwt-secret-of-more-than-32-bytes"),
            Map.entry("keyAuth key", "canary-api-key-0001"),
            Map.entry("Authorization header value", "Bearer canary-header-credential"),
            Map.entry("webhook url token", "canary-webhook-path-token"),
            Map.entry("webhook header", "Bearer canary-webhook-header"),
            Map.entry("otlp header", "Bearer canary-otlp-header"),
            Map.entry("acme eab hmac", "canary-eab-hmac-key"));

    @TempDir
    Path dir;

    private String config(String tlsKeyPem, String certPem) {
        return """
                [entryPoints.web]
                address = "127.0.0.1:0"
                [entryPoints.traefik]
                address = "127.0.0.1:0"
                [api]
                insecure = true
                debug = true

                [events.webhooks.chat]
                url = "http://127.0.0.1:9/services/T000/%s"
                [events.webhooks.chat.headers]
                Authorization = "%s"

                [tracing.otlp.http]
                endpoint = "http://127.0.0.1:9/v1/traces"
                [tracing.otlp.http.headers]
                Authorization = "%s"

                [certificatesResolvers.le.acme]
                email = "ops@example.com"
                storage = "%s"
                caServer = "https://127.0.0.1:9/directory"
                [certificatesResolvers.le.acme.eab]
                kid = "kid-1"
                hmacEncoded = "%s"
                [certificatesResolvers.le.acme.tlsChallenge]

                [[tls.certificates]]
                certFile = '''%s'''
                keyFile = '''%s'''

                [http.routers.app]
                rule = "PathPrefix(`/`)"
                service = "app"
                middlewares = ["basic", "digest", "jwt", "key", "creds"]
                [http.middlewares.basic.basicAuth]
                users = ["admin:%s"]
                [http.middlewares.digest.digestAuth]
                users = ["admin:traefik:%s"]
                [http.middlewares.jwt.jwt]
                algorithm = "HS256"
                secret = "%s"
                [http.middlewares.key.keyAuth]
                header = "X-Api-Key"
                keys = ["%s"]
                [http.middlewares.creds.headers.customRequestHeaders]
                Authorization = "%s"
                [http.services.app.loadBalancer]
                servers = [{url = "http://127.0.0.1:9"}]
                """.formatted(CANARIES.get("webhook url token"), CANARIES.get("webhook header"), CANARIES.get("otlp header"),
                dir.resolve("acme.json"), CANARIES.get("acme eab hmac"), certPem, tlsKeyPem, CANARIES.get("basicAuth hash"),
                CANARIES.get("digestAuth hash"), CANARIES.get("jwt secret"), CANARIES.get("keyAuth key"),
                CANARIES.get("Authorization header value"));
    }

    private String keyPem;
    private String certPem;

    private String config() throws Exception {
        if (keyPem == null) {
            Certs.Issued leaf = Certs.leaf(Certs.ca("Secrets CA"), "app.test", List.of("dns:app.test"));
            keyPem = Certs.pem("PRIVATE KEY", leaf.keys().getPrivate().getEncoded());
            certPem = Certs.pem("CERTIFICATE", leaf.cert().getEncoded());
        }
        return config(keyPem, certPem);
    }

    private void assertNoSecret(String where, String text) {
        for (Map.Entry<String, String> canary : CANARIES.entrySet()) {
            assertFalse(text.contains(canary.getValue()), where + " shows the " + canary.getKey() + ":\n" + text);
        }
        assertFalse(text.contains("PRIVATE KEY-----"), where + " shows a private key:\n" + text);
        // A line from the middle of the key's base64, which a partial dump would still show.
        assertFalse(keyPem != null && text.contains(keyPem.split("\n")[2]), where + " shows the TLS private key:\n" + text);
    }

    @Test
    void notInTheApiNorInTheLogsOfAStart() throws Exception {
        String toml = config();
        HttpClient client = HttpClient.newHttpClient();
        List<String> answers = new ArrayList<>();
        try (LogCapture logs = new LogCapture(); Sluice sluice = Sluice.start(toml)) {
            int api = sluice.port("traefik");
            for (String path : List.of("/api/rawdata", "/api/overview", "/api/entrypoints", "/api/version",
                    "/api/http/routers", "/api/http/routers/app@file", "/api/http/middlewares", "/api/http/middlewares/basic@file",
                    "/api/http/middlewares/digest@file", "/api/http/middlewares/jwt@file", "/api/http/middlewares/key@file",
                    "/api/http/middlewares/creds@file", "/api/http/services", "/api/tcp/routers", "/debug/vars")) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode(), path + ": " + response.body());
                assertNoSecret(path, response.body());
                answers.add(response.body());
            }
            // The API does show the rest: a redacted secret is still known to be there.
            assertTrue(answers.get(0).contains("REDACTED"), answers.get(0));
            assertTrue(answers.get(0).contains("\"admin:REDACTED\""), answers.get(0));
            assertNoSecret("the logs of a start", String.join("\n", logs.lines("")));
        }
    }

    @Test
    void notInTheOutputOfCheck() throws Exception {
        Path file = Files.writeString(dir.resolve("sluice.toml"), config());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "check", "--config", file.toString());
        assertEquals(0, status, err.toString());
        assertNoSecret("check", out + "\n" + err);
    }

    @Test
    void notInConfigurationErrors() throws Exception {
        // Each secret where it is wrong: the error names the key, never the value.
        List<String> broken = List.of(
                "[http.middlewares.m.basicAuth]\nusers = [\"%s\"]".formatted(CANARIES.get("basicAuth hash")),
                "[http.middlewares.m.basicAuth]\nusers = [\"admin:%s-not-a-hash\"]".formatted(CANARIES.get("keyAuth key")),
                "[http.middlewares.m.digestAuth]\nusers = [\"admin:%s\"]".formatted(CANARIES.get("digestAuth hash")),
                "[http.middlewares.m.jwt]\nalgorithm = \"HS512\"\nsecret = \"%s\"".formatted(CANARIES.get("jwt secret")),
                "[http.middlewares.m.jwt]\nalgorithm = \"RS256\"\nsecret = \"%s\"".formatted(CANARIES.get("jwt secret")),
                "[http.middlewares.m.rateLimit]\naverage = 1\n[http.middlewares.m.rateLimit.redis]\npassword = \"%s\""
                        .formatted(CANARIES.get("keyAuth key")),
                "[http.middlewares.m.headers.customRequestHeaders]\n\"Bad Name\" = \"%s\"".formatted(CANARIES.get("Authorization header value")),
                "[events.webhooks.w]\nurl = \"ftp://127.0.0.1/%s\"".formatted(CANARIES.get("webhook url token")),
                "[events.webhooks.w]\nurl = \"http://127.0.0.1/x\"\n[events.webhooks.w.headers]\n\"Bad Name\" = \"%s\""
                        .formatted(CANARIES.get("webhook header")),
                "[tracing.otlp.http]\nendpoint = \"http://127.0.0.1:9\"\n[tracing.otlp.http.headers]\n\"Bad Name\" = \"%s\""
                        .formatted(CANARIES.get("otlp header")),
                "[[tls.certificates]]\ncertFile = \"-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\"\nkeyFile = \"-----BEGIN PRIVATE KEY-----\\n%s\\n-----END PRIVATE KEY-----\""
                        .formatted(CANARIES.get("keyAuth key")));
        for (String section : broken) {
            String toml = "[entryPoints.web]\naddress = \"127.0.0.1:0\"\n" + section
                    + (section.startsWith("[http.middlewares") ? "\n[http.routers.r]\nrule = \"PathPrefix(`/`)\"\nservice = \"s\"\nmiddlewares = [\"m\"]\n"
                            + "[http.services.s.loadBalancer]\nservers = [{url = \"http://127.0.0.1:9\"}]\n" : "\n");
            try {
                ConfigLoader.parse(toml, "broken.toml");
                throw new AssertionError("accepted:\n" + toml);
            } catch (ConfigException expected) {
                assertNoSecret("the error for\n" + section + "\n", String.join("\n", expected.problems().stream().map(Object::toString).toList())
                        + "\n" + expected.getMessage());
            }
        }
    }
}
