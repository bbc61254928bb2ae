package dev.sluice.proxy.servlet;

import java.io.IOException;

/**
 * The client went away (closed, reset, stopped sending its body): the exchange is aborted upstream
 * with this cause so that it is not reported as the upstream's failure — no 502 in the log, nothing
 * counted against the server — but as Traefik's 499, at debug level.
 */
final class ClientGone extends IOException {
    ClientGone(Throwable cause) {
        super("client closed the connection", cause);
    }

    static boolean in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ClientGone) {
                return true;
            }
        }
        return false;
    }
}
