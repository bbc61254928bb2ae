package dev.sluice.proxy.tls.acme;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP-01 challenges pending now, shared by every resolver of a Sluice. A plain entry point answers
 * {@code GET /.well-known/acme-challenge/TOKEN} with {@code 200}, {@code text/plain} and the key
 * authorization, or {@code 404} when {@link #keyAuthorization} is empty; before any redirection.
 */
public final class Http01Challenges {
    /** The path prefix the CA asks for. */
    public static final String PATH_PREFIX = "/.well-known/acme-challenge/";

    private final Map<String, String> byToken = new ConcurrentHashMap<>();

    /** The body to answer for {@code token}, if a challenge with it is pending. */
    public Optional<String> keyAuthorization(String token) {
        return Optional.ofNullable(byToken.get(token));
    }

    void put(String token, String keyAuthorization) {
        byToken.put(token, keyAuthorization);
    }

    void remove(String token) {
        byToken.remove(token);
    }
}
