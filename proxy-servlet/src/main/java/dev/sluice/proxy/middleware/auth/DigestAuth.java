package dev.sluice.proxy.middleware.auth;

import dev.sluice.proxy.config.middleware.DigestAuthConfig;
import dev.sluice.proxy.config.middleware.UserTable;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

/**
 * {@code digestAuth}: HTTP Digest (RFC 7616 with MD5 and {@code qop=auth}; RFC 2617 clients work
 * alike) against htdigest entries. Nonces are signed and expire (see {@link DigestNonces}); a nonce
 * may be used again until it expires (no nonce-count tracking, which would need shared state).
 */
public final class DigestAuth implements Filter {
    static final Duration NONCE_LIFETIME = Duration.ofMinutes(5);

    private final DigestAuthConfig options;
    private final Map<String, String> ha1ByUserAndRealm;
    private final DigestNonces nonces;

    public DigestAuth(DigestAuthConfig options) {
        this(options, new DigestNonces(NONCE_LIFETIME, Clock.systemUTC()));
    }

    DigestAuth(DigestAuthConfig options, DigestNonces nonces) {
        this.options = options;
        this.ha1ByUserAndRealm = UserTable.loadOrThrow("digestAuth", options.users(), options.usersFile(), DigestAuthConfig::splitLine);
        this.nonces = nonces;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        Map<String, String> params = DigestCredentials.parse(request.getHeader("Authorization"));
        if (params == null || !correct(request, params)) {
            challenge((HttpServletResponse) res, false);
            return;
        }
        switch (nonces.check(params.get("nonce"))) {
            case VALID -> chain.doFilter(AuthAnswers.authenticated(request, params.get("username"), options.headerField(),
                    options.removeHeader()), res);
            case STALE -> challenge((HttpServletResponse) res, true);
            case INVALID -> challenge((HttpServletResponse) res, false);
        }
    }

    /** Whether the response digest is the one the user's HA1 gives for this request (the nonce is checked apart). */
    private boolean correct(HttpServletRequest request, Map<String, String> params) {
        String user = params.get("username");
        String nonce = params.get("nonce");
        String uri = params.get("uri");
        String response = params.get("response");
        String nc = params.get("nc");
        String cnonce = params.get("cnonce");
        String algorithm = params.getOrDefault("algorithm", "MD5");
        if (user == null || nonce == null || uri == null || response == null || nc == null || cnonce == null
                || !"auth".equals(params.get("qop")) || !"MD5".equalsIgnoreCase(algorithm)
                || !options.realm().equals(params.get("realm")) || !uri.equals(requestUri(request))) {
            return false;
        }
        String ha1 = ha1ByUserAndRealm.get(user + ":" + options.realm());
        if (ha1 == null) {
            return false;
        }
        String ha2 = md5Hex(request.getMethod() + ":" + uri);
        String expected = md5Hex(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), response.getBytes(StandardCharsets.US_ASCII));
    }

    private static String requestUri(HttpServletRequest request) {
        String query = request.getQueryString();
        return query == null ? request.getRequestURI() : request.getRequestURI() + "?" + query;
    }

    private void challenge(HttpServletResponse response, boolean stale) throws IOException {
        String value = "Digest realm=" + AuthAnswers.quoted(options.realm()) + ", nonce=\"" + nonces.next()
                + "\", algorithm=MD5, qop=\"auth\"" + (stale ? ", stale=true" : "");
        AuthAnswers.send(response, 401, value);
    }

    static String md5Hex(String text) {
        return HexFormat.of().formatHex(PasswordCheck.digest("MD5", text.getBytes(StandardCharsets.UTF_8)));
    }
}
