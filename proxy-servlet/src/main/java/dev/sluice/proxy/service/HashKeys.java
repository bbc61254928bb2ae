package dev.sluice.proxy.service;

import dev.sluice.proxy.balance.HashKey;
import dev.sluice.proxy.rule.QueryString;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.function.Function;

/**
 * The request value a hashing strategy hashes, for a {@link HashKey} parsed from configuration. A
 * missing header, cookie or parameter hashes as the empty string, so such requests share one server.
 */
public final class HashKeys {
    private HashKeys() {}

    public static Function<HttpServletRequest, String> of(HashKey key) {
        String name = key.name();
        return switch (key.kind()) {
            case IP -> HttpServletRequest::getRemoteAddr;
            case URL -> request -> request.getQueryString() == null ? request.getRequestURI()
                    : request.getRequestURI() + "?" + request.getQueryString();
            case PATH -> HttpServletRequest::getRequestURI;
            case HEADER -> request -> orEmpty(request.getHeader(name));
            case COOKIE -> request -> orEmpty(StickyCookie.cookieValue(request, name));
            case QUERY -> request -> {
                List<String> values = QueryString.parse(request.getQueryString()).get(name);
                return values == null ? "" : values.get(0);
            };
        };
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
