package dev.sluice.proxy.transport;

import org.eclipse.jetty.client.HttpUpgrader;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.UpgradeProtocolHandler;

/**
 * Jetty's upgrade handling for any protocol the proxy asked for, not only {@code websocket} and
 * {@code h2c}: a {@code 101} answer to a request carrying an {@link HttpUpgrader.Factory} hands the
 * connection to that request's upgrader. Requests without one never reach it (their 101, if a
 * server sent one uninvited, is an ordinary interim answer).
 */
final class AnyUpgradeProtocolHandler extends UpgradeProtocolHandler {
    @Override
    public boolean accept(Request request, Response response) {
        // Asked when the status line arrives, before the response headers: the request's own upgrade is what counts.
        return response.getStatus() == 101 && request.getAttributes().get(HttpUpgrader.Factory.class.getName()) != null;
    }
}
