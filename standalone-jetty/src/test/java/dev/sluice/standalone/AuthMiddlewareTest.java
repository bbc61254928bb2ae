package dev.sluice.standalone;

import static dev.sluice.standalone.AuthTestSupport.basic;
import static dev.sluice.standalone.AuthTestSupport.config;
import static dev.sluice.standalone.AuthTestSupport.get;
import static dev.sluice.standalone.AuthTestSupport.toml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.commons.codec.digest.Md5Crypt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** basicAuth, digestAuth and keyAuth over real sockets: real Sluice, a real backend, the JDK client. */
class AuthMiddlewareTest extends BackendFixture {
    @BeforeEach
    void backend() throws Exception {
        backend = new Backend("b");
    }

    private HttpResponse<String> get(String pathQuery, String... headers) throws Exception {
        return AuthTestSupport.get(sluice.uri("web", pathQuery), headers);
    }

    static String bcrypt(String password) {
        return BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(4, password.toCharArray());
    }

    static String sha(String password) throws Exception {
        return "{SHA}" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(password.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void basicAuthAcceptsEveryHashFormatAndChallengesOtherwise() throws Exception {
        sluice = Sluice.start(config(backend, """
                [http.middlewares.auth.basicAuth]
                users = [%s, %s, %s]
                """.formatted(toml("ann:" + bcrypt("a-pass")), toml("bob:" + Md5Crypt.apr1Crypt("b-pass")), toml("cy:" + sha("c-pass")))));

        assertEquals(200, get("/", "Authorization", basic("ann", "a-pass")).statusCode());
        assertEquals(200, get("/", "Authorization", basic("ann", "a-pass")).statusCode(), "a remembered check passes again");
        assertEquals(200, get("/", "Authorization", basic("bob", "b-pass")).statusCode());
        assertEquals(200, get("/", "Authorization", basic("cy", "c-pass")).statusCode());
        // Authorization goes upstream by default (removeHeader = false); no user header without headerField.
        assertEquals(basic("ann", "a-pass"), backend.take().headers().get("Authorization"));

        Map<String, HttpResponse<String>> refused = new LinkedHashMap<>();
        refused.put("no header", get("/"));
        refused.put("wrong password", get("/", "Authorization", basic("ann", "b-pass")));
        refused.put("unknown user", get("/", "Authorization", basic("zed", "a-pass")));
        refused.put("not basic", get("/", "Authorization", "Bearer abc"));
        refused.put("bad base64", get("/", "Authorization", "Basic !!!"));
        refused.put("another's password", get("/", "Authorization", basic("bob", "c-pass")));
        refused.forEach((why, response) -> {
            assertEquals(401, response.statusCode(), why);
            assertEquals("Basic realm=\"traefik\"", response.headers().firstValue("WWW-Authenticate").orElse(null), why);
            assertEquals("401 Unauthorized\n", response.body(), why);
        });
        backend.take();
        backend.take();
        backend.take();
        assertEquals(0, backend.received(), "refused requests never reach the upstream");
    }

    @Test
    void basicAuthRealmHeaderFieldRemoveHeaderAndUsersFileOverriddenInline(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("users.htpasswd");
        Files.writeString(file, "# team\n\nann:" + Md5Crypt.apr1Crypt("old") + "\nbob:" + bcrypt("b-pass") + "\n");
        sluice = Sluice.start(config(backend, """
                [http.middlewares.auth.basicAuth]
                usersFile = %s
                users = [%s]
                realm = "My Realm"
                headerField = "X-WebAuth-User"
                removeHeader = true
                """.formatted(toml(file.toString()), toml("ann:" + sha("new")))));

        assertEquals(401, get("/", "Authorization", basic("ann", "old")).statusCode(), "inline users override the file");
        HttpResponse<String> refused = get("/", "Authorization", basic("bob", "nope"));
        assertEquals("Basic realm=\"My Realm\"", refused.headers().firstValue("WWW-Authenticate").orElseThrow());

        assertEquals(200, get("/x", "Authorization", basic("ann", "new"), "X-WebAuth-User", "forged").statusCode());
        Backend.Seen seen = backend.take();
        assertEquals("ann", seen.headers().get("X-WebAuth-User"));
        assertNull(seen.headers().get("Authorization"));
        assertEquals(200, get("/", "Authorization", basic("bob", "b-pass")).statusCode(), "users from the file");
        assertEquals("bob", backend.take().headers().get("X-WebAuth-User"));
    }

    // ---- digestAuth

    private static String md5(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The parameters of a Digest challenge (quoted values unquoted; this test's values hold no escapes). */
    private static Map<String, String> challenge(String header) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String part : header.substring("Digest ".length()).split(",\\s*")) {
            int eq = part.indexOf('=');
            params.put(part.substring(0, eq).trim(), part.substring(eq + 1).replace("\"", ""));
        }
        return params;
    }

    /** What a browser sends back: RFC 7616 MD5, qop=auth, computed here from the password. */
    private static String digestAnswer(Map<String, String> challenge, String user, String password, String method, String uri)
            throws Exception {
        String cnonce = Long.toHexString(ThreadLocalRandom.current().nextLong());
        String nc = "00000001";
        String ha1 = md5(user + ":" + challenge.get("realm") + ":" + password);
        String ha2 = md5(method + ":" + uri);
        String response = md5(ha1 + ":" + challenge.get("nonce") + ":" + nc + ":" + cnonce + ":auth:" + ha2);
        return "Digest username=\"" + user + "\", realm=\"" + challenge.get("realm") + "\", nonce=\"" + challenge.get("nonce")
                + "\", uri=\"" + uri + "\", algorithm=MD5, qop=auth, nc=" + nc + ", cnonce=\"" + cnonce + "\", response=\"" + response + "\"";
    }

    @Test
    void digestAuthChallengesThenAcceptsARealDigestResponse() throws Exception {
        sluice = Sluice.start(config(backend, """
                [http.middlewares.auth.digestAuth]
                users = ["ann:traefik:%s", "bob:elsewhere:%s"]
                headerField = "X-User"
                """.formatted(md5("ann:traefik:secret"), md5("bob:elsewhere:secret"))));

        HttpResponse<String> first = get("/p?q=1");
        assertEquals(401, first.statusCode());
        String header = first.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertTrue(header.startsWith("Digest realm=\"traefik\", nonce=\""), header);
        assertTrue(header.contains("qop=\"auth\"") && header.contains("algorithm=MD5") && !header.contains("stale"), header);
        Map<String, String> params = challenge(header);

        HttpResponse<String> ok = get("/p?q=1", "Authorization", digestAnswer(params, "ann", "secret", "GET", "/p?q=1"));
        assertEquals(200, ok.statusCode());
        Backend.Seen seen = backend.take();
        assertEquals("ann", seen.headers().get("X-User"));
        assertTrue(seen.headers().get("Authorization").startsWith("Digest "), "removeHeader defaults to false");

        assertEquals(401, get("/p?q=1", "Authorization", digestAnswer(params, "ann", "wrong", "GET", "/p?q=1")).statusCode());
        assertEquals(401, get("/other", "Authorization", digestAnswer(params, "ann", "secret", "GET", "/p?q=1")).statusCode(),
                "the digest covers the URI");
        assertEquals(401, get("/p", "Authorization", digestAnswer(params, "bob", "secret", "GET", "/p")).statusCode(),
                "a user of another realm");
        Map<String, String> forged = new LinkedHashMap<>(params);
        forged.put("nonce", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        assertEquals(401, get("/p", "Authorization", digestAnswer(forged, "ann", "secret", "GET", "/p")).statusCode(),
                "a nonce Sluice did not make");
        assertEquals(0, backend.received());
    }

    // ---- keyAuth

    @Test
    void keyAuthFromAHeaderHidesItWhenAsked() throws Exception {
        sluice = Sluice.start(config(backend, """
                [http.middlewares.auth.keyAuth]
                header = "X-Api-Key"
                keys = ["k1", "k2"]
                hideCredentials = true
                """));
        assertEquals(200, get("/", "X-Api-Key", "k2").statusCode());
        assertNull(backend.take().headers().get("X-Api-Key"));
        assertEquals(401, get("/", "X-Api-Key", "k3").statusCode());
        HttpResponse<String> missing = get("/");
        assertEquals(401, missing.statusCode());
        assertFalse(missing.headers().firstValue("WWW-Authenticate").isPresent());
        assertEquals(401, get("/?X-Api-Key=k1").statusCode(), "only the configured place counts");
        assertEquals(0, backend.received());
    }

    @Test
    void keyAuthFromTheQueryKeepsItByDefaultAndCanDropIt() throws Exception {
        sluice = Sluice.start(config(backend, """
                [http.middlewares.auth.keyAuth]
                query = "api_key"
                keys = ["s3cr%t"]
                """));
        assertEquals(200, get("/a?x=1&api_key=s3cr%25t").statusCode());
        assertEquals("/a?x=1&api_key=s3cr%25t", backend.take().pathQuery());
        assertEquals(401, get("/a?api_key=nope").statusCode());
        sluice.close();

        sluice = Sluice.start(config(backend, """
                [http.middlewares.auth.keyAuth]
                query = "api_key"
                keys = ["k"]
                hideCredentials = true
                """));
        assertEquals(200, get("/a?x=1&api_key=k&y=2").statusCode());
        assertEquals("/a?x=1&y=2", backend.take().pathQuery());
        assertEquals(200, get("/a?api_key=k").statusCode());
        assertEquals("/a", backend.take().pathQuery());
    }
}
