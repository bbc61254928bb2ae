package dev.sluice.proxy.middleware.auth;

import dev.sluice.proxy.config.middleware.BasicAuthConfig;
import dev.sluice.proxy.config.middleware.PasswordHashFormat;
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
import java.util.Base64;

/**
 * {@code basicAuth}: lets through requests whose {@code Authorization: Basic} credentials match an
 * htpasswd entry; others get 401 with {@code WWW-Authenticate: Basic realm="..."}.
 */
public final class BasicAuth implements Filter {
    private final BasicAuthConfig options;
    private final PasswordCheck passwords;
    private final String challenge;

    public BasicAuth(BasicAuthConfig options) {
        this.options = options;
        this.passwords = new PasswordCheck(UserTable.loadOrThrow("basicAuth", options.users(), options.usersFile(),
                PasswordHashFormat::splitLine));
        this.challenge = "Basic realm=" + AuthAnswers.quoted(options.realm());
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String[] credentials = credentials(request.getHeader("Authorization"));
        if (credentials == null || !passwords.matches(credentials[0], credentials[1])) {
            AuthAnswers.send((HttpServletResponse) res, 401, challenge);
            return;
        }
        chain.doFilter(AuthAnswers.authenticated(request, credentials[0], options.headerField(), options.removeHeader()), res);
    }

    /** {@code {user, password}} of a Basic {@code Authorization} value, or null. */
    static String[] credentials(String authorization) {
        if (authorization == null || authorization.length() < 6 || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }
}
