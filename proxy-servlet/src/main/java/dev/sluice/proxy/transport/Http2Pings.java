package dev.sluice.proxy.transport;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http2.HTTP2Connection;
import org.eclipse.jetty.http2.frames.PingFrame;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code forwardingTimeouts.readIdleTimeout} and {@code pingTimeout}, as Go's HTTP/2 transport does
 * them: an upstream HTTP/2 connection that has received nothing for {@code readIdle} is pinged, and
 * closed if still nothing arrives within {@code pingTimeout}, so requests on a connection to a
 * vanished peer fail instead of hanging. "Received nothing" is the connection's byte count not
 * moving; a ping's answer moves it. Added to an HttpClient as a bean, it sees every connection the
 * client opens; HTTP/1.1 connections are left alone.
 */
final class Http2Pings implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(Http2Pings.class);

    private final Scheduler scheduler;
    private final long readIdleNanos;
    private final long pingTimeoutNanos;

    Http2Pings(Scheduler scheduler, long readIdleNanos, long pingTimeoutNanos) {
        this.scheduler = scheduler;
        this.readIdleNanos = readIdleNanos;
        this.pingTimeoutNanos = pingTimeoutNanos;
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HTTP2Connection http2) {
            new Watch(http2).idleCheckLater();
        }
    }

    /** The watch over one connection: a chain of timer tasks that ends when the connection closes. */
    private final class Watch {
        private final HTTP2Connection connection;
        private long bytesSeen;

        Watch(HTTP2Connection connection) {
            this.connection = connection;
            this.bytesSeen = connection.getBytesIn();
        }

        void idleCheckLater() {
            scheduler.schedule(this::idleCheck, readIdleNanos, TimeUnit.NANOSECONDS);
        }

        private void idleCheck() {
            if (!connection.getEndPoint().isOpen()) {
                return;
            }
            long bytes = connection.getBytesIn();
            if (bytes != bytesSeen) {
                bytesSeen = bytes;
                idleCheckLater();
                return;
            }
            connection.getSession().ping(new PingFrame(System.nanoTime(), false), Callback.NOOP);
            scheduler.schedule(this::answerCheck, pingTimeoutNanos, TimeUnit.NANOSECONDS);
        }

        private void answerCheck() {
            if (!connection.getEndPoint().isOpen()) {
                return;
            }
            long bytes = connection.getBytesIn();
            if (bytes == bytesSeen) {
                LOG.debug("closing HTTP/2 connection to {}: ping not answered", connection.getEndPoint().getRemoteSocketAddress());
                connection.getEndPoint().close(new java.util.concurrent.TimeoutException("HTTP/2 ping not answered"));
                return;
            }
            bytesSeen = bytes;
            idleCheckLater();
        }
    }
}
