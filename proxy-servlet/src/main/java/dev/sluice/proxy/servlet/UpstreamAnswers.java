package dev.sluice.proxy.servlet;

import dev.sluice.proxy.service.HopByHop;
import dev.sluice.proxy.service.Server;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * What the lean engine ({@link LeanForward}) decides about a request's target and an upstream's
 * answer, the same way {@link SluiceProxyServlet} does on Jetty's client (the servlet keeps its own
 * copies while other work reshapes it; the rules are the same and the same tests run on both engines).
 */
final class UpstreamAnswers {
    private UpstreamAnswers() {}

    /** Path relative to the servlet context, as the client sent it (still percent-encoded). */
    static String upstreamPath(Server server, HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return server.upstreamPath(path.isEmpty() ? "/" : path, request.getQueryString());
    }

    /** The answer's end-to-end headers onto the client's response. */
    static void copyHeaders(HttpFields fields, HttpServletResponse response) {
        Set<String> connectionNamed = fields.contains(HttpHeader.CONNECTION)
                ? HopByHop.namedBy(Collections.enumeration(fields.getValuesList(HttpHeader.CONNECTION))) : null;
        for (HttpField field : fields) {
            HttpHeader header = field.getHeader();
            if ((header != null && HopByHop.isFixed(header))
                    || (connectionNamed != null && connectionNamed.contains(field.getLowerCaseName()))) {
                continue;
            }
            if (header == HttpHeader.DATE || header == HttpHeader.SERVER || header == HttpHeader.CONTENT_TYPE
                    || header == HttpHeader.CONTENT_LENGTH) {
                response.setHeader(field.getName(), field.getValue()); // the container's own value is replaced
            } else {
                response.addHeader(field.getName(), field.getValue());
            }
        }
    }

    static boolean announcesTrailers(HttpFields headers) {
        String type = headers.get(HttpHeader.CONTENT_TYPE);
        return headers.contains(HttpHeader.TRAILER) || (type != null && type.startsWith("application/grpc"));
    }

    /** The declared body length, or -1 for a streaming response (none declared, or an event stream), flushed chunk by chunk. */
    static long streamedLength(HttpFields headers) {
        String type = headers.get(HttpHeader.CONTENT_TYPE);
        if (type != null && type.regionMatches(true, 0, "text/event-stream", 0, 17)) {
            return -1;
        }
        return headers.getLongField(HttpHeader.CONTENT_LENGTH);
    }

    static Map<String, String> trailers(HttpFields fields) {
        Map<String, String> map = new HashMap<>();
        if (fields != null) {
            for (HttpField field : fields) {
                map.merge(field.getName(), field.getValue(), (a, b) -> a + ", " + b);
            }
        }
        return map;
    }

    static HttpFields trailers(Map<String, String> fields) {
        if (fields == null || fields.isEmpty()) {
            return null;
        }
        HttpFields.Mutable trailers = HttpFields.build();
        fields.forEach(trailers::add);
        return trailers;
    }

    /** Exception class and message, unless the message is one of Jetty's connection dumps. */
    static String describe(Throwable failure) {
        String message = failure.getMessage();
        boolean useful = message != null && message.length() <= 120 && !message.contains("@");
        return failure.getClass().getSimpleName() + (useful ? ": " + message : "");
    }
}
