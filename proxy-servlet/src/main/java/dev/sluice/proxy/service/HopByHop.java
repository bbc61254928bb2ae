package dev.sluice.proxy.service;

import java.util.EnumSet;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Headers that belong to one connection and must not be forwarded (RFC 9110 §7.6.1): the fixed
 * list, plus whatever the {@code Connection} header names. {@code Host} is in the list too because
 * the proxy sets it itself. Used for proxied requests and responses and for mirror copies.
 */
public final class HopByHop {
    private static final Set<HttpHeader> FIXED = EnumSet.of(HttpHeader.CONNECTION, HttpHeader.KEEP_ALIVE,
            HttpHeader.PROXY_AUTHORIZATION, HttpHeader.PROXY_AUTHENTICATE, HttpHeader.PROXY_CONNECTION,
            HttpHeader.TRANSFER_ENCODING, HttpHeader.TE, HttpHeader.TRAILER, HttpHeader.UPGRADE, HttpHeader.HOST);

    private HopByHop() {}

    /** Case-insensitive, without allocating: Jetty's header cache maps the name to its enum. */
    public static boolean isFixed(String name) {
        HttpHeader header = HttpHeader.CACHE.get(name);
        return header != null && FIXED.contains(header);
    }

    public static boolean isFixed(HttpHeader header) {
        return FIXED.contains(header);
    }

    /** Lower-case names listed in {@code Connection} headers, or {@code null} when there are none. */
    public static Set<String> namedBy(Enumeration<String> connectionHeaders) {
        Set<String> named = null;
        while (connectionHeaders.hasMoreElements()) {
            for (String token : connectionHeaders.nextElement().split(",")) {
                String name = token.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty()) {
                    if (named == null) {
                        named = new HashSet<>();
                    }
                    named.add(name);
                }
            }
        }
        return named;
    }

    /** True when {@code name} must not be forwarded. */
    public static boolean drop(String name, Set<String> connectionNamed) {
        return isFixed(name) || (connectionNamed != null && connectionNamed.contains(name.toLowerCase(Locale.ROOT)));
    }
}
