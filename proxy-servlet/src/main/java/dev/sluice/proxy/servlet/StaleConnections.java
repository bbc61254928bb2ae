package dev.sluice.proxy.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.transport.internal.HttpConnectionOverHTTP;

/**
 * The one retry a proxy owes without being asked (Go's transport, so Traefik, does the same): an
 * upstream may close a kept-alive connection just as the proxy sends the next request on it, and the
 * request then fails before any answer through no fault of its own. A safe method without a body is
 * sent once more (on another connection: the closed one has left the pool); anything else, a POST
 * above all, may have been processed and gets its 502.
 *
 * <p>A connection is known as reused when it has received answers before the request began (Jetty's
 * HTTP/1.1 connection counts them; HTTP/2 streams are not retried here: a GOAWAY tells which streams
 * the server never saw, and Jetty's client handles that itself).
 */
final class StaleConnections {
    private static final String REUSED = StaleConnections.class.getName() + ".reused";
    private static final String RETRIED = StaleConnections.class.getName() + ".retried";
    /** Safe methods (RFC 9110 §9.2.1): sending one twice changes nothing. */
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private StaleConnections() {}

    /** At a request's begin, once it has its connection: notes whether answers came on that connection before. */
    static void noteConnection(Request request) {
        if (request.getConnection() instanceof HttpConnectionOverHTTP http && http.getMessagesIn() > 0) {
            request.attribute(REUSED, Boolean.TRUE);
        }
    }

    /**
     * True, once per client request, if its upstream request failed on a reused connection before any
     * answer began and its method is safe; the caller then sends it again.
     */
    static boolean retryOnce(HttpServletRequest request, Response serverResponse) {
        if (serverResponse == null || serverResponse.getStatus() != 0 || request.getAttribute(RETRIED) != null
                || !SAFE.contains(request.getMethod())
                || !Boolean.TRUE.equals(serverResponse.getRequest().getAttributes().get(REUSED))) {
            return false;
        }
        request.setAttribute(RETRIED, Boolean.TRUE);
        return true;
    }
}
