package dev.sluice.proxy.middleware.auth;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Digest nonces that need no store: each carries its expiry time and an HMAC of it under a random
 * key of this middleware instance, so a nonce is valid only if this instance made it and it has not
 * expired. An expired but genuine nonce is {@link State#STALE}: the client is asked to retry with a
 * fresh one without asking the user again ({@code stale=true}).
 */
final class DigestNonces {
    enum State { VALID, STALE, INVALID }

    private static final int MAC_BYTES = 16;
    private final SecretKeySpec key;
    private final Duration lifetime;
    private final Clock clock;

    DigestNonces(Duration lifetime, Clock clock) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.lifetime = lifetime;
        this.clock = clock;
    }

    String next() {
        byte[] expiry = ByteBuffer.allocate(Long.BYTES).putLong(clock.millis() + lifetime.toMillis()).array();
        byte[] nonce = Arrays.copyOf(expiry, Long.BYTES + MAC_BYTES);
        System.arraycopy(mac(expiry), 0, nonce, Long.BYTES, MAC_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
    }

    State check(String nonce) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return State.INVALID;
        }
        if (bytes.length != Long.BYTES + MAC_BYTES) {
            return State.INVALID;
        }
        byte[] expiry = Arrays.copyOf(bytes, Long.BYTES);
        byte[] expected = Arrays.copyOf(mac(expiry), MAC_BYTES);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(bytes, Long.BYTES, bytes.length))) {
            return State.INVALID;
        }
        return ByteBuffer.wrap(expiry).getLong() > clock.millis() ? State.VALID : State.STALE;
    }

    private byte[] mac(byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
