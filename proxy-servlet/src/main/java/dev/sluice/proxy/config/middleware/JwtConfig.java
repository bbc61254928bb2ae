package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.Problems;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code jwt} (Pingap's {@code jwt} plugin): the request must carry a token signed with
 * {@code algorithm} (HS256/384/512 with {@code secret}; RS* or ES* with a PEM {@code publicKey} or
 * the keys at {@code jwksUrl}, fetched again every {@code jwksTtl}), not expired ({@code exp}) and
 * already valid ({@code nbf}). The token is read from {@code header} (by default
 * {@code Authorization}, with or without {@code Bearer }), or from {@code cookie} or {@code query}.
 */
public record JwtConfig(String header, String cookie, String query, String secret, String publicKey, String jwksUrl,
        Duration jwksTtl, String algorithm) implements MiddlewareOptions {
    static final List<String> ALGORITHMS = List.of("HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512");

    public JwtConfig {
        jwksTtl = jwksTtl == null ? Duration.ofHours(1) : jwksTtl;
        algorithm = algorithm == null || algorithm.isEmpty() ? "HS256" : algorithm;
        if (blank(header) && blank(cookie) && blank(query)) {
            header = "Authorization";
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    public boolean hmac() {
        return algorithm.startsWith("HS");
    }

    @Override
    public void validate(String path, Problems problems, HttpConfig http) {
        if (Stream.of(header, cookie, query).filter(s -> !blank(s)).count() > 1) {
            problems.add(path + ".header", "give only one of header, cookie and query");
        }
        if (!ALGORITHMS.contains(algorithm)) {
            problems.add(path + ".algorithm", "unknown algorithm \"" + algorithm + "\"; one of " + String.join(", ", ALGORITHMS));
            return;
        }
        long keys = Stream.of(secret, publicKey, jwksUrl).filter(s -> !blank(s)).count();
        if (keys != 1) {
            problems.add(path + ".secret", "give exactly one of secret, publicKey and jwksUrl");
        } else if (hmac() && blank(secret)) {
            problems.add(path + ".secret", algorithm + " needs a secret");
        } else if (!hmac() && !blank(secret)) {
            problems.add(path + ".secret", algorithm + " verifies with a publicKey or jwksUrl, not a secret");
        } else if (hmac() && secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length * 8 < Integer.parseInt(algorithm.substring(2))) {
            problems.add(path + ".secret", algorithm + " needs a secret of at least " + Integer.parseInt(algorithm.substring(2)) / 8 + " bytes");
        }
        if (!blank(jwksUrl)) {
            try {
                URI uri = URI.create(jwksUrl);
                if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                    problems.add(path + ".jwksUrl", "must be an http:// or https:// URL");
                }
            } catch (IllegalArgumentException e) {
                problems.add(path + ".jwksUrl", "not a URL: " + e.getMessage());
            }
        }
        if (jwksTtl.isNegative() || jwksTtl.isZero()) {
            problems.add(path + ".jwksTtl", "must be positive");
        }
        if (!blank(publicKey)) {
            try {
                PemPublicKey.parse(publicKey);
            } catch (IllegalArgumentException e) {
                problems.add(path + ".publicKey", "not a PEM public key: " + e.getMessage());
            }
        }
    }
}
