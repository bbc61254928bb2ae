package dev.sluice.proxy.middleware.cache;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;
import java.util.List;

/**
 * Cache keys. The primary key names the resource: namespace, host, raw path and query, and the
 * values of the configured {@code headers}. An answer with {@code Vary} is stored under the primary
 * key plus the values of the request headers it names (its variant), so that each variant has its
 * own entry; PURGE removes every variant of a primary key.
 */
final class CacheKeys {
    /** Separates the parts of a key; it cannot appear in a header value or a request line. */
    static final char SEPARATOR = '\u0000';

    private final String namespace;
    private final List<String> headers;

    CacheKeys(String namespace, List<String> headers) {
        this.namespace = namespace;
        this.headers = List.copyOf(headers);
    }

    String primary(HttpServletRequest request) {
        StringBuilder key = new StringBuilder(namespace).append(SEPARATOR);
        String host = request.getHeader("Host");
        key.append(host == null ? request.getServerName() : host).append(SEPARATOR).append(request.getRequestURI());
        String query = request.getQueryString();
        if (query != null) {
            key.append('?').append(query);
        }
        for (String header : headers) {
            key.append(SEPARATOR);
            appendValues(key, request, header);
        }
        return key.toString();
    }

    /** The values of the request headers {@code vary} names, in that order; "" without Vary. */
    static String variant(HttpServletRequest request, List<String> vary) {
        if (vary.isEmpty()) {
            return "";
        }
        StringBuilder key = new StringBuilder();
        for (String header : vary) {
            appendValues(key, request, header);
            key.append(SEPARATOR);
        }
        return key.toString();
    }

    private static void appendValues(StringBuilder key, HttpServletRequest request, String header) {
        boolean first = true;
        for (Enumeration<String> values = request.getHeaders(header); values != null && values.hasMoreElements(); ) {
            if (!first) {
                key.append(',');
            }
            key.append(values.nextElement());
            first = false;
        }
    }
}
