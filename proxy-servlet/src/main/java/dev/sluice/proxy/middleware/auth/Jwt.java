package dev.sluice.proxy.middleware.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sluice.proxy.config.middleware.JwtConfig;
import dev.sluice.proxy.config.middleware.PemPublicKey;
import dev.sluice.proxy.middleware.MiddlewareContext;
import dev.sluice.proxy.rule.QueryString;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Date;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code jwt}: lets through requests carrying a token signed with the configured algorithm and key,
 * whose {@code exp} has not passed and whose {@code nbf} has; others get 401. With a JWKS URL the
 * keys come from {@link JwksSource}; until they first arrive requests get 503 (a client may retry;
 * the alternative, holding requests, would tie up memory in front of an unreachable key server).
 */
public final class Jwt implements Filter {
    private static final String CHALLENGE = "Bearer";

    private final JwtConfig options;
    private final JWSVerifier macVerifier;
    private final Supplier<JWKSet> keys;

    private Jwt(JwtConfig options, JWSVerifier macVerifier, Supplier<JWKSet> keys) {
        this.options = options;
        this.macVerifier = macVerifier;
        this.keys = keys;
    }

    public static Jwt create(JwtConfig options, MiddlewareContext context) throws JOSEException {
        if (options.hmac()) {
            return new Jwt(options, new MACVerifier(options.secret().getBytes(StandardCharsets.UTF_8)), () -> null);
        }
        if (options.publicKey() != null && !options.publicKey().isBlank()) {
            JWKSet set = new JWKSet(PemPublicKey.parse(options.publicKey()));
            return new Jwt(options, null, () -> set);
        }
        JwksSource source = new JwksSource(context.httpClient(), context.scheduler(), URI.create(options.jwksUrl()), options.jwksTtl());
        context.onClose(source);
        return new Jwt(options, null, source.start()::keys);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        SignedJWT jwt = parse(token(request));
        if (jwt == null || !options.algorithm().equals(jwt.getHeader().getAlgorithm().getName())) {
            AuthAnswers.send(response, 401, CHALLENGE);
            return;
        }
        JWSVerifier verifier = macVerifier;
        if (verifier == null) {
            JWKSet set = keys.get();
            if (set == null) {
                AuthAnswers.send(response, 503, null);
                return;
            }
            verifier = verifier(jwt.getHeader(), set);
        }
        if (verifier == null || !verified(jwt, verifier) || !timely(jwt)) {
            AuthAnswers.send(response, 401, CHALLENGE);
            return;
        }
        chain.doFilter(request, response);
    }

    private String token(HttpServletRequest request) {
        if (options.cookie() != null && !options.cookie().isBlank()) {
            Cookie[] cookies = request.getCookies();
            for (Cookie cookie : cookies == null ? new Cookie[0] : cookies) {
                if (cookie.getName().equals(options.cookie())) {
                    return cookie.getValue();
                }
            }
            return null;
        }
        if (options.query() != null && !options.query().isBlank()) {
            List<String> values = QueryString.parse(request.getQueryString()).get(options.query());
            return values == null || values.isEmpty() ? null : values.get(0);
        }
        String value = request.getHeader(options.header());
        if (value != null && value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            value = value.substring(7).trim();
        }
        return value;
    }

    private static SignedJWT parse(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            return SignedJWT.parse(token);
        } catch (ParseException e) {
            return null;
        }
    }

    /** A verifier for the key of {@code set} that the token's header names (by kid, type, use), or null. */
    private static JWSVerifier verifier(JWSHeader header, JWKSet set) {
        for (JWK jwk : new JWKSelector(JWKMatcher.forJWSHeader(header)).select(set)) {
            if (jwk instanceof AsymmetricJWK asymmetric) {
                try {
                    return new DefaultJWSVerifierFactory().createJWSVerifier(header, asymmetric.toPublicKey());
                } catch (JOSEException e) {
                    // a key of the wrong kind for this algorithm: try the next
                }
            }
        }
        return null;
    }

    private static boolean verified(SignedJWT jwt, JWSVerifier verifier) {
        try {
            return jwt.verify(verifier);
        } catch (JOSEException | IllegalStateException e) {
            return false;
        }
    }

    private static boolean timely(SignedJWT jwt) {
        try {
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date now = new Date();
            return (claims.getExpirationTime() == null || now.before(claims.getExpirationTime()))
                    && (claims.getNotBeforeTime() == null || !now.before(claims.getNotBeforeTime()));
        } catch (ParseException e) {
            return false;
        }
    }
}
