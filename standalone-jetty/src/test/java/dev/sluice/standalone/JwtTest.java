package dev.sluice.standalone;

import static dev.sluice.standalone.AuthTestSupport.config;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** jwt over real sockets, with tokens signed here and keys from a static PEM or a JWKS served by a real server. */
class JwtTest {
    private static final String SECRET = "a-secret-of-at-least-thirty-two-bytes!";

    private Backend upstream;
    private Backend keyServer;
    private Sluice sluice;

    @BeforeEach
    void servers() throws Exception {
        upstream = new Backend("up");
        keyServer = new Backend("keys");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {sluice, upstream, keyServer}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    private HttpResponse<String> get(String pathQuery, String... headers) throws Exception {
        return AuthTestSupport.get(sluice.uri("web", pathQuery), headers);
    }

    private static String sign(JWSSigner signer, JWSHeader header, Instant expires, Instant notBefore) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("ann");
        if (expires != null) {
            claims.expirationTime(Date.from(expires));
        }
        if (notBefore != null) {
            claims.notBeforeTime(Date.from(notBefore));
        }
        SignedJWT jwt = new SignedJWT(header, claims.build());
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static String hs(String secret, JWSAlgorithm algorithm, Instant expires, Instant notBefore) throws Exception {
        return sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)), new JWSHeader(algorithm), expires, notBefore);
    }

    private static final Instant SOON = Instant.now().plusSeconds(600);

    @Test
    void hmacTokensFromTheAuthorizationHeaderByDefault() throws Exception {
        sluice = Sluice.start(config(upstream, """
                [http.middlewares.auth.jwt]
                secret = "%s"
                """.formatted(SECRET)));
        String good = hs(SECRET, JWSAlgorithm.HS256, SOON, null);
        assertEquals(200, get("/", "Authorization", "Bearer " + good).statusCode());
        assertEquals("Bearer " + good, upstream.take().headers().get("Authorization"));
        assertEquals(200, get("/", "Authorization", good).statusCode(), "Bearer is optional");
        assertEquals(200, get("/", "Authorization", "Bearer " + hs(SECRET, JWSAlgorithm.HS256, null, null)).statusCode(),
                "exp is checked when present");

        HttpResponse<String> missing = get("/");
        assertEquals(401, missing.statusCode());
        assertEquals("Bearer", missing.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertEquals(401, get("/", "Authorization", "Bearer not.a.token").statusCode());
        assertEquals(401, get("/", "Authorization", "Bearer " + hs(SECRET.replace('a', 'b'), JWSAlgorithm.HS256, SOON, null)).statusCode(),
                "another secret");
        assertEquals(401, get("/", "Authorization", "Bearer " + hs(SECRET + SECRET, JWSAlgorithm.HS384, SOON, null)).statusCode(),
                "another algorithm than configured");
        assertEquals(401, get("/", "Authorization", "Bearer " + hs(SECRET, JWSAlgorithm.HS256, Instant.now().minusSeconds(5), null)).statusCode(),
                "expired");
        assertEquals(401, get("/", "Authorization", "Bearer " + hs(SECRET, JWSAlgorithm.HS256, SOON, Instant.now().plusSeconds(300))).statusCode(),
                "not valid before nbf");
        String unsigned = good.substring(0, good.lastIndexOf('.') + 1);
        assertEquals(401, get("/", "Authorization", "Bearer " + unsigned).statusCode(), "signature stripped");
        upstream.take();
        upstream.take();
        assertEquals(0, upstream.received());
    }

    @Test
    void tokensFromACookieOrTheQuery() throws Exception {
        String longSecret = SECRET + SECRET;
        String token = hs(longSecret, JWSAlgorithm.HS512, SOON, null);
        sluice = Sluice.start(config(upstream, """
                [http.middlewares.auth.jwt]
                secret = "%s"
                algorithm = "HS512"
                cookie = "jwt"
                """.formatted(longSecret)));
        assertEquals(200, get("/", "Cookie", "a=1; jwt=" + token).statusCode());
        assertEquals(401, get("/", "Authorization", "Bearer " + token).statusCode(), "only the cookie counts");
        sluice.close();

        sluice = Sluice.start(config(upstream, """
                [http.middlewares.auth.jwt]
                secret = "%s"
                algorithm = "HS512"
                query = "token"
                """.formatted(longSecret)));
        assertEquals(200, get("/?token=" + token).statusCode());
        assertEquals(401, get("/?token=x" + token).statusCode());
    }

    @Test
    void rsaTokensWithAStaticPemPublicKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        KeyPair other = generator.generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        sluice = Sluice.start(config(upstream, """
                [http.middlewares.auth.jwt]
                algorithm = "RS256"
                publicKey = '''
                %s'''
                """.formatted(pem)));
        String good = sign(new RSASSASigner(pair.getPrivate()), new JWSHeader(JWSAlgorithm.RS256), SOON, null);
        String forged = sign(new RSASSASigner(other.getPrivate()), new JWSHeader(JWSAlgorithm.RS256), SOON, null);
        assertEquals(200, get("/", "Authorization", "Bearer " + good).statusCode());
        assertEquals(401, get("/", "Authorization", "Bearer " + forged).statusCode());
        // The classic confusion attack: an HS256 token "signed" with the public key as secret.
        String confused = hs(pem, JWSAlgorithm.HS256, SOON, null);
        assertEquals(401, get("/", "Authorization", "Bearer " + confused).statusCode());
    }

    @Test
    void ecTokensWithKeysFromAJwksUrlAnswer503UntilTheKeysArrive() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID("k2").generate();
        String jwks = new JWKSet(key.toPublicJWK()).toString();
        // The key server takes about 1.5 s to send its keys: the first requests arrive before them.
        String url = keyServer.url() + "/respond?type=application/json&chunks=2&gapMs=1500&body="
                + URLEncoder.encode(jwks, StandardCharsets.UTF_8);
        sluice = Sluice.start(config(upstream, """
                [http.middlewares.auth.jwt]
                algorithm = "ES256"
                jwksUrl = "%s"
                jwksTtl = "1h"
                """.formatted(url)));
        String good = sign(new ECDSASigner(key), new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").build(), SOON, null);
        assertEquals(503, get("/", "Authorization", "Bearer " + good).statusCode(), "no keys yet");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> get("/", "Authorization", "Bearer " + good).statusCode() == 200);
        String unknownKey = sign(new ECDSASigner(stranger), new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k2").build(), SOON, null);
        assertEquals(401, get("/", "Authorization", "Bearer " + unknownKey).statusCode());
        String wrongKid = sign(new ECDSASigner(stranger), new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").build(), SOON, null);
        assertEquals(401, get("/", "Authorization", "Bearer " + wrongKid).statusCode());
        assertEquals(1, keyServer.received(), "fetched once per jwksTtl");
    }

    @Test
    void jwksIsFetchedAgainEveryTtl() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        String url = keyServer.url() + "/respond?type=application/json&body="
                + URLEncoder.encode(new JWKSet(key.toPublicJWK()).toString(), StandardCharsets.UTF_8);
        sluice = Sluice.start(config(upstream, """
                [http.middlewares.auth.jwt]
                algorithm = "ES256"
                jwksUrl = "%s"
                jwksTtl = "300ms"
                """.formatted(url)));
        await().atMost(Duration.ofSeconds(20)).until(() -> keyServer.received() >= 3);
        String good = sign(new ECDSASigner(key), new JWSHeader(JWSAlgorithm.ES256), SOON, null);
        assertEquals(200, get("/", "Authorization", "Bearer " + good).statusCode(), "a key without kid matches by type");
    }
}
