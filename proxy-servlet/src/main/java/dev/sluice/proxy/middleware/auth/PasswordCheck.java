package dev.sluice.proxy.middleware.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sluice.proxy.config.middleware.PasswordHashFormat;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.apache.commons.codec.digest.Md5Crypt;

/**
 * Checks passwords against htpasswd hashes (bcrypt, Apache MD5, SHA-1), comparing in constant time.
 *
 * <p>bcrypt is slow on purpose (tens of milliseconds per check), and a browser sends the same
 * credentials with every request; so successful checks are remembered for a short while, keyed by
 * a SHA-256 of user, password and stored hash (the password itself is never kept), in a small
 * bounded cache. Failures are never cached, so a guess always pays the full price.
 */
final class PasswordCheck {
    private static final Duration REMEMBER = Duration.ofMinutes(1);
    private static final int MAX_REMEMBERED = 1024;

    private final Map<String, String> hashes;
    private final Cache<String, Boolean> verified = Caffeine.newBuilder()
            .maximumSize(MAX_REMEMBERED).expireAfterWrite(REMEMBER).build();

    PasswordCheck(Map<String, String> hashes) {
        this.hashes = Map.copyOf(hashes);
    }

    boolean matches(String user, String password) {
        String hash = hashes.get(user);
        if (hash == null) {
            return false;
        }
        String key = fingerprint(user, password, hash);
        if (verified.getIfPresent(key) != null) {
            return true;
        }
        boolean ok = verify(password, hash);
        if (ok) {
            verified.put(key, Boolean.TRUE);
        }
        return ok;
    }

    static boolean verify(String password, String hash) {
        PasswordHashFormat format = PasswordHashFormat.of(hash);
        if (format == null) {
            return false;
        }
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        return switch (format) {
            case BCRYPT -> BCrypt.verifyer().verify(secret, hash.getBytes(StandardCharsets.UTF_8)).verified;
            case APR1 -> sameBytes(Md5Crypt.apr1Crypt(secret, hash), hash);
            case SHA1 -> sameBytes("{SHA}" + Base64.getEncoder().encodeToString(digest("SHA-1", secret)), hash);
        };
    }

    private static boolean sameBytes(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static String fingerprint(String user, String password, String hash) {
        byte[] joined = (user + '\0' + password + '\0' + hash).getBytes(StandardCharsets.UTF_8);
        return HexFormat.of().formatHex(digest("SHA-256", joined));
    }

    static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }
}
