package dev.sluice.proxy.upgrade;

import dev.sluice.proxy.service.Exchange;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.jetty.client.Request;

/**
 * Proxies requests that ask to switch protocols ({@link dev.sluice.proxy.service.Upgrades#requested}): WebSocket, or any
 * HTTP/1.1 {@code Upgrade} the server accepts. The request, routed and let through by the
 * middlewares like any other, goes to the server its exchange chose; a 101 turns both connections
 * into a {@link Tunnel}, any other answer reaches the client as it came.
 *
 * <p>The client's connection can only be upgraded within a container dispatch. Jetty upgrades in
 * a later async dispatch, so nothing waits: the request goes async, the reply dispatches it again
 * ({@link #resume}). Tomcat upgrades only in the request's first dispatch, which therefore waits for
 * the server's reply there (bounded by the transport's dial and response-header or idle timeouts).
 *
 * <pre>{@code
 * if (Upgrades.requested(request)) { UpgradeProxy.forward(request, response, exchange, this::copyRequestHeaders); return; }
 * }</pre>
 */
public final class UpgradeProxy {
    static final String PENDING = UpgradeProxy.class.getName() + ".pending";

    /** Copies the client's request headers onto the upstream request, as for any proxied request. */
    @FunctionalInterface
    public interface RequestHeaders {
        void copy(HttpServletRequest request, Request upstream);
    }

    private UpgradeProxy() {}

    /** Sends the upgrade request to the exchange's server; called in the request's first dispatch. */
    public static void forward(HttpServletRequest request, HttpServletResponse response, Exchange exchange, RequestHeaders headers)
            throws IOException, ServletException {
        if (upgradesOnlyInFirstDispatch(request)) {
            Handshake handshake = new Handshake(request, response, exchange, null);
            handshake.send(headers);
            handshake.await();
            handshake.answer(request);
            return;
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(0); // the transport's timeouts bound the handshake
        new Handshake(request, response, exchange, async).send(headers);
    }

    /** On an async dispatch: answers the upgrade whose reply arrived, and returns whether there was one. */
    public static boolean resume(HttpServletRequest dispatched) throws IOException, ServletException {
        if (!(dispatched.getAttribute(PENDING) instanceof Handshake handshake)) {
            return false;
        }
        dispatched.removeAttribute(PENDING);
        handshake.answer(dispatched);
        return true;
    }

    /** Tomcat switches protocols only when the request's first dispatch returns (never from an async one). */
    private static boolean upgradesOnlyInFirstDispatch(HttpServletRequest request) {
        String server = request.getServletContext().getServerInfo();
        return server != null && server.startsWith("Apache Tomcat");
    }
}
