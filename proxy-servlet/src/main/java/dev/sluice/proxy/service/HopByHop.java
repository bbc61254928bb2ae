package dev.sluice.proxy.service;

import java.util.EnumSet;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
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

    /**
     * Lower-case names listed in {@code Connection} headers, or {@code null} when there are none
     * besides the fixed ones (dropped anyway): the common {@code Connection: keep-alive} costs no set.
     */
    public static Set<String> namedBy(Enumeration<String> connectionHeaders) {
        Set<String> named = null;
        while (connectionHeaders.hasMoreElements()) {
            named = addNamed(connectionHeaders.nextElement(), named);
        }
        return named;
    }

    /** {@link #namedBy(Enumeration)} for the {@code Connection} fields of {@code fields}. */
    public static Set<String> namedBy(HttpFields fields) {
        Set<String> named = null;
        for (HttpField field : fields) {
            if (field.getHeader() == HttpHeader.CONNECTION) {
                named = addNamed(field.getValue(), named);
            }
        }
        return named;
    }

    private static Set<String> addNamed(String value, Set<String> named) {
        if (value == null) {
            return named;
        }
        int length = value.length();
        for (int start = 0; start < length; ) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? length : comma;
            String token = value.substring(start, end).trim();
            if (!token.isEmpty() && !isFixed(token)) {
                if (named == null) {
                    named = new HashSet<>();
                }
                named.add(token.toLowerCase(Locale.ROOT));
            }
            start = end + 1;
        }
        return named;
    }

    /** True when {@code name} must not be forwarded. */
    public static boolean drop(String name, Set<String> connectionNamed) {
        return isFixed(name) || (connectionNamed != null && connectionNamed.contains(name.toLowerCase(Locale.ROOT)));
    }
}
