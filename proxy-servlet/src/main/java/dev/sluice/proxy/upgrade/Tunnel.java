package dev.sluice.proxy.upgrade;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.WebConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.IteratingCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The byte pipe of an upgraded exchange, between the client's upgraded servlet connection
 * ({@link WebConnection}, non-blocking streams) and the server's connection ({@link UpstreamLane}).
 * Two lanes, each with one buffer and demand-driven: client→upstream reads the client only once
 * the previous write upstream completed, upstream→client fills from the server only once the
 * client's stream is ready again. Nothing is buffered beyond one buffer per lane, nothing decoded.
 *
 * <p>Ends: the client's end of stream shuts the upstream's output and the server's answer is still
 * passed on; the server's end of stream, a failure on either side, or the idle timeout close the
 * whole tunnel. {@link #close} runs once and tells the {@link Ending} (exchange, metrics) first,
 * while the container still holds the request, then closes both connections.
 */
final class Tunnel {
    private static final Logger LOG = LoggerFactory.getLogger(Tunnel.class);
    private static final int BUFFER_SIZE = 16 * 1024;

    /** What the tunnel tells when it is over, once: bytes carried from and to the client. */
    interface Ending {
        void ended(long bytesFromClient, long bytesToClient, Throwable cause);
    }

    private final UpstreamLane upstream;
    private final Ending ending;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ToUpstream toUpstream = new ToUpstream();
    private final ToClient toClient = new ToClient();
    private volatile WebConnection client;
    private ServletInputStream in;
    private ServletOutputStream out;
    private volatile long fromClient;
    private volatile long toClientBytes;

    Tunnel(UpstreamLane upstream, Ending ending) {
        this.upstream = upstream;
        this.ending = ending;
        upstream.tunnel(this);
    }

    /** The container upgraded the client's connection: both lanes start. */
    void clientOpened(WebConnection connection) throws IOException {
        client = connection;
        if (closed.get()) {
            closeQuietly(connection); // the server went away before the client's side was ready
            return;
        }
        in = connection.getInputStream();
        out = connection.getOutputStream();
        out.setWriteListener(toClient);
        in.setReadListener(toUpstream);
    }

    /** Closes the tunnel if the container never handed it the client's connection (the client left before its 101). */
    void closeIfClientNeverOpened() {
        if (client == null) {
            close(new java.util.concurrent.TimeoutException("the client's connection was not handed over"));
        }
    }

    /** The server's connection has bytes (or its end) to read. */
    void upstreamReadable() {
        toClient.iterate();
    }

    /** Closes both sides, once; {@code cause} is null for an orderly end. */
    void close(Throwable cause) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (cause != null) {
            LOG.debug("tunnel {} closed: {}", this, cause.toString());
        }
        try {
            ending.ended(fromClient, toClientBytes, cause);
        } catch (RuntimeException e) {
            LOG.warn("tunnel end not recorded", e);
        }
        upstream.getEndPoint().close();
        WebConnection connection = client;
        if (connection != null) {
            closeQuietly(connection);
        }
    }

    private void closeQuietly(WebConnection connection) {
        try {
            connection.close();
        } catch (Exception e) {
            LOG.debug("closing the client's side of tunnel {}", this, e);
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    @Override
    public String toString() {
        return "C2P/P2S " + fromClient + " B, S2P/P2C " + toClientBytes + " B, upstream " + upstream.getEndPoint().getRemoteSocketAddress();
    }

    /** Client → proxy → server: read the client while it is ready, one write upstream at a time. */
    private final class ToUpstream extends IteratingCallback implements ReadListener {
        private final byte[] buffer = new byte[BUFFER_SIZE];

        @Override
        protected Action process() throws IOException {
            if (closed.get()) {
                return Action.SUCCEEDED;
            }
            while (in.isReady()) {
                int n = in.read(buffer);
                if (n < 0) {
                    // The client is done sending; the server may still answer (its end closes the tunnel).
                    upstream.getEndPoint().shutdownOutput();
                    return Action.SUCCEEDED;
                }
                if (n > 0) {
                    fromClient += n;
                    upstream.getEndPoint().write(this, ByteBuffer.wrap(buffer, 0, n));
                    return Action.SCHEDULED;
                }
            }
            return Action.IDLE; // onDataAvailable iterates again
        }

        @Override
        public void onDataAvailable() {
            iterate();
        }

        @Override
        public void onAllDataRead() {
            iterate();
        }

        @Override
        public void onError(Throwable failure) {
            Tunnel.this.close(failure);
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            Tunnel.this.close(cause);
        }
    }

    /** Server → proxy → client: fill from the server only when the client's stream can take more. */
    private final class ToClient extends IteratingCallback implements WriteListener {
        private final ByteBuffer buffer = BufferUtil.allocate(BUFFER_SIZE);
        private final AtomicBoolean started = new AtomicBoolean();
        /** Set before asking {@code isReady()}: whoever clears it (this lane or onWritePossible) goes on. */
        private final AtomicBoolean awaitingWrite = new AtomicBoolean();
        private boolean flushPending;

        @Override
        protected Action process() throws IOException {
            if (closed.get()) {
                return Action.SUCCEEDED;
            }
            ByteBuffer early = upstream.takeEarly();
            if (early != null) {
                send(early);
                return Action.SCHEDULED;
            }
            EndPoint endPoint = upstream.getEndPoint();
            BufferUtil.clear(buffer);
            int n = endPoint.fill(buffer);
            if (n > 0) {
                send(buffer);
                return Action.SCHEDULED;
            }
            if (n == 0) {
                upstream.fillInterested(); // onFillable iterates again
                return Action.IDLE;
            }
            Tunnel.this.close(null); // the server closed: the tunnel is over
            return Action.SUCCEEDED;
        }

        private void send(ByteBuffer bytes) throws IOException {
            int n = bytes.remaining();
            toClientBytes += n;
            out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), n);
            flushPending = true; // an upgraded stream may aggregate small writes
            if (drained()) {
                succeeded();
            }
        }

        /** True when everything written has left; false when onWritePossible will go on. */
        private boolean drained() throws IOException {
            while (true) {
                awaitingWrite.set(true);
                if (!out.isReady()) {
                    return false;
                }
                if (!awaitingWrite.compareAndSet(true, false)) {
                    return false;
                }
                if (!flushPending) {
                    return true;
                }
                flushPending = false;
                out.flush();
            }
        }

        @Override
        public void onWritePossible() throws IOException {
            if (started.compareAndSet(false, true)) {
                iterate();
            } else if (awaitingWrite.compareAndSet(true, false) && drained()) {
                succeeded();
            }
        }

        @Override
        public void onError(Throwable failure) {
            Tunnel.this.close(failure);
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            Tunnel.this.close(cause);
        }
    }
}
