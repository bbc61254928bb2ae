package dev.sluice.proxy.upgrade;

import jakarta.servlet.http.HttpServletRequest;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;

/**
 * A container that lets Sluice take over the client's connection itself once the 101 is sent,
 * instead of {@code HttpServletRequest.upgrade}: the standalone jar's embedded Jetty puts one under
 * {@link #ATTRIBUTE} in the servlet context. Both ends of the tunnel are then Jetty endpoints
 * ({@link EndPointTunnel}), with no servlet stream between them. (Jetty 12.1's ee10
 * {@code upgrade()} reports the end of the client's input at once for a request without a body, as
 * WebSocket handshakes are, so it cannot carry a tunnel; Tomcat's can.)
 */
public interface ClientEndPoints {
    /** The servlet context attribute holding the container's {@link ClientEndPoints}. */
    String ATTRIBUTE = ClientEndPoints.class.getName();

    /**
     * Arranges for the connection {@code request} arrived on to be handed, once the 101 answer is
     * sent, to the connection {@code factory} makes from its endpoint and the container's executor.
     * False when this request's connection cannot be taken over (then the Servlet API's upgrade is used).
     */
    boolean upgradeTo(HttpServletRequest request, BiFunction<EndPoint, Executor, Connection> factory);

    /** The container's hook, or null. */
    static ClientEndPoints of(HttpServletRequest request) {
        return request.getServletContext().getAttribute(ATTRIBUTE) instanceof ClientEndPoints hook ? hook : null;
    }
}
