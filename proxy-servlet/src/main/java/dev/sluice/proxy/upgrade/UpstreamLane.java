package dev.sluice.proxy.upgrade;

import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;

/**
 * The upstream connection of a tunnel once the server answered 101: it replaces Jetty's HTTP/1.1
 * client connection on the same endpoint, keeps the bytes the server sent right after its 101
 * (already read with the headers), and reports readiness, idleness and closing to its {@link Tunnel}.
 * Its idle timeout is the tunnel's: any byte either way, read from or written to it, resets it.
 */
final class UpstreamLane extends AbstractConnection implements Connection.UpgradeTo {
    private volatile dev.sluice.proxy.upgrade.Tunnel tunnel;
    private ByteBuffer early;

    UpstreamLane(EndPoint endPoint, Executor executor) {
        super(endPoint, executor);
    }

    void tunnel(dev.sluice.proxy.upgrade.Tunnel tunnel) {
        this.tunnel = tunnel;
    }

    /** Bytes that followed the 101 in the same read: they go to the client first. */
    @Override
    public void onUpgradeTo(ByteBuffer buffer) {
        if (BufferUtil.hasContent(buffer)) {
            early = BufferUtil.allocate(buffer.remaining());
            BufferUtil.append(early, buffer);
        }
    }

    /** The early bytes, once; null when there were none. */
    ByteBuffer takeEarly() {
        ByteBuffer bytes = early;
        early = null;
        return bytes;
    }

    @Override
    public void onFillable() {
        tunnel.upstreamReadable();
    }

    @Override
    public boolean onIdleExpired(TimeoutException timeout) {
        tunnel.close(timeout);
        return true;
    }

    @Override
    protected boolean onReadTimeout(TimeoutException timeout) {
        tunnel.close(timeout);
        return true;
    }

    @Override
    public void onClose(Throwable cause) {
        super.onClose(cause);
        dev.sluice.proxy.upgrade.Tunnel t = tunnel; // not Connection.Tunnel
        if (t != null) {
            t.close(cause);
        }
    }
}
