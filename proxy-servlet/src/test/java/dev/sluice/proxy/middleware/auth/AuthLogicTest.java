package dev.sluice.proxy.middleware.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import org.apache.commons.codec.digest.Md5Crypt;
import org.junit.jupiter.api.Test;

/** The pure parts of the auth middlewares: hashes, digest nonces and parameters, header names. */
class AuthLogicTest {
    /** A clock tests move by hand. */
    private static final class HandClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void everyHashFormatVerifiesItsPasswordOnly() throws Exception {
        String sha = "{SHA}" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest("pw".getBytes(StandardCharsets.UTF_8)));
        for (String hash : new String[] {
            BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(4, "pw".toCharArray()),
            BCrypt.with(BCrypt.Version.VERSION_2A).hashToString(4, "pw".toCharArray()),
            BCrypt.with(BCrypt.Version.VERSION_2B).hashToString(4, "pw".toCharArray()),
            Md5Crypt.apr1Crypt("pw"),
            "$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/", // htpasswd's own output for test:test (Traefik's docs)
            sha,
        }) {
            boolean known = hash.startsWith("$apr1$H6usk");
            assertTrue(PasswordCheck.verify(known ? "test" : "pw", hash), hash);
            assertFalse(PasswordCheck.verify(known ? "pw" : "pW", hash), hash);
        }
        assertFalse(PasswordCheck.verify("pw", "pw"), "plain text is no hash");
    }

    @Test
    void rememberedChecksStillRefuseOtherPasswords() {
        PasswordCheck check = new PasswordCheck(Map.of("ann", Md5Crypt.apr1Crypt("pw")));
        assertTrue(check.matches("ann", "pw"));
        assertTrue(check.matches("ann", "pw"));
        assertFalse(check.matches("ann", "pw "));
        assertFalse(check.matches("bob", "pw"));
    }

    @Test
    void noncesAreValidUntilTheyExpireThenStaleAndForgeriesInvalid() {
        HandClock clock = new HandClock();
        DigestNonces nonces = new DigestNonces(Duration.ofMinutes(5), clock);
        String nonce = nonces.next();
        assertEquals(DigestNonces.State.VALID, nonces.check(nonce));
        clock.now = clock.now.plus(Duration.ofMinutes(4));
        assertEquals(DigestNonces.State.VALID, nonces.check(nonce));
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        assertEquals(DigestNonces.State.STALE, nonces.check(nonce));

        byte[] bytes = Base64.getUrlDecoder().decode(nonces.next());
        bytes[3] ^= 1; // a later expiry written by the client
        assertEquals(DigestNonces.State.INVALID, nonces.check(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)));
        assertEquals(DigestNonces.State.INVALID, nonces.check("not base64 ***"));
        assertEquals(DigestNonces.State.INVALID, nonces.check(new DigestNonces(Duration.ofMinutes(5), clock).next()),
                "another instance's key");
    }

    @Test
    void digestParametersParseQuotedAndBareValues() {
        Map<String, String> p = DigestCredentials.parse(
                "Digest username=\"a\\\"b\", realm=\"r, with comma\", nonce=\"n\", uri=\"/x?y=1\", qop=auth, nc=00000001, cnonce=\"c\", response=\"abc\"");
        assertEquals("a\"b", p.get("username"));
        assertEquals("r, with comma", p.get("realm"));
        assertEquals("auth", p.get("qop"));
        assertEquals("00000001", p.get("nc"));
        assertEquals("/x?y=1", p.get("uri"));
        assertNull(DigestCredentials.parse("Basic abc"));
        assertNull(DigestCredentials.parse("Digest username=\"unterminated"));
    }

    @Test
    void basicCredentialsSplitAtTheFirstColon() {
        String value = "Basic " + Base64.getEncoder().encodeToString("ann:p:w".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(new String[] {"ann", "p:w"}, BasicAuth.credentials(value));
        assertArrayEquals(new String[] {"ann", "p:w"}, BasicAuth.credentials(value.replace("Basic", "basic")));
        assertNull(BasicAuth.credentials("Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes(StandardCharsets.UTF_8))));
        assertNull(BasicAuth.credentials("Basic"));
    }

    @Test
    void headerNamesAreCanonicalAsInGo() {
        assertEquals("X-Auth-User", ForwardAuth.canonical("x-auth-user"));
        assertEquals("X-Auth-User", ForwardAuth.canonical("X-AUTH-USER"));
        assertEquals("Www-Authenticate", ForwardAuth.canonical("WWW-Authenticate"));
    }
}
