package dev.sluice.proxy.upgrade;

import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;
import java.io.IOException;

/**
 * The Servlet API's side of an upgraded exchange: the container creates it in
 * {@code HttpServletRequest.upgrade}, Sluice hands it the tunnel before the dispatch returns, and
 * the container calls {@link #init} with the client's upgraded connection once its 101 is sent.
 * Public with a public no-argument constructor: containers instantiate it themselves.
 */
public final class TunnelHandler implements HttpUpgradeHandler {
    private volatile Tunnel tunnel;

    public TunnelHandler() {}

    void tunnel(Tunnel tunnel) {
        this.tunnel = tunnel;
    }

    @Override
    public void init(WebConnection connection) {
        try {
            tunnel.clientOpened(connection);
        } catch (IOException | RuntimeException e) {
            tunnel.close(e);
        }
    }

    /** The container is done with the connection (the client went away, or the tunnel closed it). */
    @Override
    public void destroy() {
        Tunnel t = tunnel;
        if (t != null) {
            t.close(null);
        }
    }
}
