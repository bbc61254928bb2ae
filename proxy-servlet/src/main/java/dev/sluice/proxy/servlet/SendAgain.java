package dev.sluice.proxy.servlet;

/**
 * Aborts an upstream answer that must not reach the client, so that the request is sent again: to
 * a failover's fallback, or to another server for a retry. Both upstream engines (Jetty's client in
 * {@link SluiceProxyServlet}, the lean one in {@link LeanForward}) abort with it.
 */
final class SendAgain extends Exception {
    final int status;
    final boolean onFallback;

    SendAgain(int status, boolean onFallback) {
        super((onFallback ? "replaying on the fallback" : "retrying") + " after status " + status, null, false, false);
        this.status = status;
        this.onFallback = onFallback;
    }
}
