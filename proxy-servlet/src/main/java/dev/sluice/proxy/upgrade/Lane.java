package dev.sluice.proxy.upgrade;

import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * One side of an {@link EndPointTunnel}: reads its own endpoint and writes what it read to its
 * peer's, one buffer at a time — the next read only once the peer took the previous buffer, so a
 * slow reader on one side stalls the reads on the other (TCP's backpressure, end to end). As
 * Jetty's {@code ConnectHandler}: re-arm on zero bytes, shut the peer's output on end of stream,
 * close both on failure or idleness. Bytes that arrived with the HTTP head ({@link #onUpgradeTo})
 * go first.
 */
final class Lane extends AbstractConnection implements Connection.UpgradeTo, Callback {
    private static final int BUFFER_SIZE = 16 * 1024;

    private final EndPointTunnel tunnel;
    private final ByteBuffer buffer = BufferUtil.allocate(BUFFER_SIZE);
    private volatile Lane peer;
    private ByteBuffer early;
    private volatile long bytes;
    private volatile boolean ended;

    Lane(EndPoint endPoint, Executor executor, EndPointTunnel tunnel) {
        super(endPoint, executor);
        this.tunnel = tunnel;
    }

    void peer(Lane peer) {
        this.peer = peer;
    }

    @Override
    public void onUpgradeTo(ByteBuffer prefilled) {
        if (BufferUtil.hasContent(prefilled)) {
            early = BufferUtil.allocate(prefilled.remaining());
            BufferUtil.append(early, prefilled);
        }
    }

    @Override
    public void onOpen() {
        super.onOpen();
        tunnel.opened(this);
    }

    /** Starts reading (after passing on the early bytes); called once both lanes are open. */
    void start() {
        ByteBuffer first = early;
        early = null;
        if (first != null) {
            bytes += first.remaining();
            peer.getEndPoint().write(this, first);
        } else {
            fillInterested();
        }
    }

    @Override
    public void onFillable() {
        try {
            BufferUtil.clear(buffer);
            int n = getEndPoint().fill(buffer);
            if (n > 0) {
                bytes += n;
                peer.getEndPoint().write(this, buffer); // succeeded() reads again
            } else if (n == 0) {
                fillInterested();
            } else {
                ended = true;
                tunnel.ended(this);
            }
        } catch (Throwable x) {
            tunnel.close(x);
        }
    }

    /** The peer took the buffer: read again. */
    @Override
    public void succeeded() {
        fillInterested();
    }

    @Override
    public void failed(Throwable x) {
        tunnel.close(x);
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
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
        tunnel.close(cause);
    }

    long bytes() {
        return bytes;
    }

    boolean isEnded() {
        return ended;
    }
}
