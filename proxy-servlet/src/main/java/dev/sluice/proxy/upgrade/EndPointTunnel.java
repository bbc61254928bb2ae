package dev.sluice.proxy.upgrade;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.EndPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The byte pipe of an upgraded exchange when both ends are Jetty endpoints (the standalone jar):
 * two {@link Lane}s, client→server and server→client, each with one buffer. Reading starts once both
 * connections are taken over (the server's when its 101 arrived, the client's once Jetty sent it
 * the 101). The client's end of stream shuts the server's output and the server's answer still
 * flows; the server's end of stream, a failure or the idle timeout close both, and {@link #close}
 * reports the bytes once.
 */
final class EndPointTunnel {
    private static final Logger LOG = LoggerFactory.getLogger(EndPointTunnel.class);

    private final Tunnel.Ending ending;
    private final Lane upstream;
    private volatile Lane client;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final long idleTimeoutMillis;

    EndPointTunnel(EndPoint upstreamEndPoint, Executor executor, long idleTimeoutMillis, Tunnel.Ending ending) {
        this.ending = ending;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.upstream = new Lane(upstreamEndPoint, executor, this);
    }

    Lane upstream() {
        return upstream;
    }

    /** The client's side, made when the container takes over its connection. */
    Lane client(EndPoint endPoint, Executor executor) {
        Lane lane = new Lane(endPoint, executor, this);
        endPoint.setIdleTimeout(idleTimeoutMillis); // the tunnel's, not the entry point's
        lane.peer(upstream);
        upstream.peer(lane);
        client = lane;
        return lane;
    }

    void opened(Lane lane) {
        if (open.incrementAndGet() == 2) {
            upstream.start();
            client.start();
        }
    }

    /** Closes the tunnel if the client's connection was never handed over (the client left before its 101). */
    void closeIfClientNeverOpened() {
        if (open.get() < 2) {
            close(new java.util.concurrent.TimeoutException("the client's connection was not handed over"));
        }
    }

    void ended(Lane lane) {
        if (lane == upstream) {
            close(null); // the server is done: so is the tunnel
        } else {
            upstream.getEndPoint().shutdownOutput(); // the client is done sending; the server may still answer
            if (upstream.isEnded()) {
                close(null);
            }
        }
    }

    void close(Throwable cause) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (cause != null) {
            LOG.debug("tunnel closed: {}", cause.toString());
        }
        Lane c = client;
        try {
            ending.ended(c == null ? 0 : c.bytes(), upstream.bytes(), cause);
        } catch (RuntimeException e) {
            LOG.warn("tunnel end not recorded", e);
        }
        upstream.getEndPoint().close();
        if (c != null) {
            c.getEndPoint().close();
        }
    }
}
