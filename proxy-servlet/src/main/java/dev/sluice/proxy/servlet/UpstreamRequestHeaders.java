package dev.sluice.proxy.servlet;

import dev.sluice.proxy.service.HopByHop;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletApiRequest;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Copies the client's end-to-end request headers to the upstream request: all but the hop-by-hop
 * ones ({@link HopByHop}, and those {@code Connection} names).
 *
 * <p>When the request is Jetty's own, unwrapped (the standalone jar, no middleware changed the
 * headers), its parsed fields are copied as they are: a field is immutable, so the upstream request
 * shares it, and neither a name enumeration, nor a value enumeration per name, nor a new field per
 * value is made on every request. Otherwise (Tomcat, or a middleware's wrapper) the Servlet API's
 * view is copied.
 */
final class UpstreamRequestHeaders {
    /** Jetty's request class, or null where it cannot be seen (Tomcat; a WAR in Jetty, which hides server classes). */
    private static final Class<?> JETTY_REQUEST = jettyRequestClass();

    private UpstreamRequestHeaders() {}

    static void copy(HttpServletRequest request, HttpFields.Mutable headers) {
        copy(request, headers, true);
    }

    /** As {@link #copy(HttpServletRequest, HttpFields.Mutable)}; without {@code Content-Length} when the caller writes it itself. */
    static void copy(HttpServletRequest request, HttpFields.Mutable headers, boolean contentLength) {
        if (JETTY_REQUEST != null && JETTY_REQUEST.isInstance(request)) {
            copyFields(JettyFields.of(request), headers, contentLength);
        } else {
            copyServletView(request, headers, contentLength);
        }
    }

    private static void copyFields(HttpFields fields, HttpFields.Mutable headers, boolean contentLength) {
        Set<String> connectionNamed = HopByHop.namedBy(fields);
        for (HttpField field : fields) {
            HttpHeader header = field.getHeader();
            boolean dropped = header != null ? HopByHop.isFixed(header) || (!contentLength && header == HttpHeader.CONTENT_LENGTH)
                    : HopByHop.isFixed(field.getName());
            if (dropped || field.getValue() == null
                    || (connectionNamed != null && connectionNamed.contains(field.getLowerCaseName()))) {
                continue;
            }
            headers.add(field);
        }
    }

    private static void copyServletView(HttpServletRequest request, HttpFields.Mutable headers, boolean contentLength) {
        Set<String> connectionNamed = HopByHop.namedBy(request.getHeaders("Connection"));
        for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            if (HopByHop.drop(name, connectionNamed) || (!contentLength && name.equalsIgnoreCase("Content-Length"))) {
                continue;
            }
            for (Enumeration<String> values = request.getHeaders(name); values.hasMoreElements(); ) {
                String value = values.nextElement();
                if (value != null) {
                    headers.add(name, value);
                }
            }
        }
    }

    private static Class<?> jettyRequestClass() {
        try {
            return Class.forName("org.eclipse.jetty.ee10.servlet.ServletApiRequest", false, UpstreamRequestHeaders.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError notInJetty) {
            return null;
        }
    }

    /** Loaded only once a request is known to be Jetty's, so this class links without Jetty's servlet classes too. */
    private static final class JettyFields {
        static HttpFields of(HttpServletRequest request) {
            return ((ServletApiRequest) request).getFields();
        }
    }

    /** {@code TE: trailers} of the client, which tells a gRPC server that the path understands trailers. */
    static boolean wantsTrailers(HttpServletRequest request) {
        String te = request.getHeader("TE");
        return te != null && te.toLowerCase(Locale.ROOT).contains("trailers");
    }
}
