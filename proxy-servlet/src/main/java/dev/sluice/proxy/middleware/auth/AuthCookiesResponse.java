package dev.sluice.proxy.middleware.auth;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.util.List;
import java.util.Set;

/**
 * forwardAuth's {@code addAuthCookiesToResponse}: the listed cookies set by the auth server are added
 * to the client's response, and the upstream's cookies of the same names are dropped, so the auth
 * server's win.
 */
final class AuthCookiesResponse extends HttpServletResponseWrapper {
    private final Set<String> names;

    AuthCookiesResponse(HttpServletResponse response, Set<String> names, List<String> authSetCookies) {
        super(response);
        this.names = names;
        authSetCookies.forEach(value -> response.addHeader("Set-Cookie", value));
    }

    /** The auth server's {@code Set-Cookie} values whose cookie is one of {@code names}. */
    static List<String> listed(List<String> setCookies, Set<String> names) {
        return setCookies.stream().filter(value -> names.contains(cookieName(value))).toList();
    }

    private static String cookieName(String setCookie) {
        int eq = setCookie.indexOf('=');
        return eq < 0 ? setCookie.trim() : setCookie.substring(0, eq).trim();
    }

    private boolean replaced(String name, String value) {
        return "set-cookie".equalsIgnoreCase(name) && names.contains(cookieName(value));
    }

    @Override
    public void addHeader(String name, String value) {
        if (!replaced(name, value)) {
            super.addHeader(name, value);
        }
    }

    @Override
    public void setHeader(String name, String value) {
        if (!replaced(name, value)) {
            super.setHeader(name, value);
        }
    }
}
