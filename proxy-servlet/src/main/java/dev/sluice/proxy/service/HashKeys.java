package dev.sluice.proxy.service;

import jakarta.servlet.http.HttpServletRequest;
import java.util.function.Function;

/**
 * The request value a hashing strategy hashes ({@code hashKey}): {@code ip}, {@code url},
 * {@code path}, {@code header:Name}, {@code cookie:name} or {@code query:name}. A missing header,
 * cookie or parameter hashes as the empty string, so such requests share one server.
 */
public final class HashKeys {
    private HashKeys() {}

    /** True for the forms {@link #of} understands. */
    public static boolean isValid(String key) {
        try {
            of(key);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static Function<HttpServletRequest, String> of(String key) {
        switch (key) {
            case "ip":
                return HttpServletRequest::getRemoteAddr;
            case "url":
                return request -> request.getQueryString() == null ? request.getRequestURI()
                        : request.getRequestURI() + "?" + request.getQueryString();
            case "path":
                return HttpServletRequest::getRequestURI;
            default:
                break;
        }
        int colon = key.indexOf(':');
        String name = colon < 0 ? "" : key.substring(colon + 1);
        if (colon < 0 || name.isBlank()) {
            throw new IllegalArgumentException("unknown hash key \"" + key + "\"; use ip, url, path, header:Name, cookie:name or query:name");
        }
        switch (key.substring(0, colon)) {
            case "header":
                return request -> orEmpty(request.getHeader(name));
            case "cookie":
                return request -> orEmpty(StickyCookie.cookieValue(request, name));
            case "query":
                return request -> {
                    var values = dev.sluice.proxy.rule.QueryString.parse(request.getQueryString()).get(name);
                    return values == null ? "" : values.get(0);
                };
            default:
                throw new IllegalArgumentException("unknown hash key \"" + key + "\"; use ip, url, path, header:Name, cookie:name or query:name");
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
