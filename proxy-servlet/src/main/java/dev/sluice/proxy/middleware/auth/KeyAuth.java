package dev.sluice.proxy.middleware.auth;

import dev.sluice.proxy.config.middleware.KeyAuthConfig;
import dev.sluice.proxy.middleware.ModifiedRequest;
import dev.sluice.proxy.rule.QueryString;
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
import java.util.List;

/**
 * {@code keyAuth}: the request must carry one of the keys in a header or a query parameter, else
 * 401. Keys are compared as SHA-256 digests against every key, so the time taken tells nothing of
 * how close a guess came.
 */
public final class KeyAuth implements Filter {
    private final KeyAuthConfig options;
    private final List<byte[]> keyDigests;

    public KeyAuth(KeyAuthConfig options) {
        this.options = options;
        this.keyDigests = options.keys().stream().map(KeyAuth::sha256).toList();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String presented = byHeader() ? request.getHeader(options.header()) : queryValue(request);
        if (presented == null || !known(presented)) {
            AuthAnswers.send((HttpServletResponse) res, 401, null);
            return;
        }
        chain.doFilter(options.hideCredentials() ? hidden(request) : request, res);
    }

    private boolean byHeader() {
        return options.header() != null && !options.header().isBlank();
    }

    private String queryValue(HttpServletRequest request) {
        List<String> values = QueryString.parse(request.getQueryString()).get(options.query());
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private boolean known(String presented) {
        byte[] digest = sha256(presented);
        boolean found = false;
        for (byte[] key : keyDigests) {
            found |= MessageDigest.isEqual(key, digest);
        }
        return found;
    }

    private HttpServletRequest hidden(HttpServletRequest request) {
        return byHeader() ? ModifiedRequest.of(request).hideHeader(options.header())
                : new QueryParameterHidden(request, options.query());
    }

    private static byte[] sha256(String key) {
        return PasswordCheck.digest("SHA-256", key.getBytes(StandardCharsets.UTF_8));
    }
}
