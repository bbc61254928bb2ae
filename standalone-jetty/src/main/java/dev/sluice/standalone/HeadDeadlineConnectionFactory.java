package dev.sluice.standalone;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP/1.1 connections whose request head must be complete within {@code respondingTimeouts.readTimeout}
 * of its first byte, as Go's {@code http.Server} (Traefik) bounds the headers by its read deadline.
 * Without it a Slowloris client, sending one header line now and then, keeps a connection for as
 * long as it likes: Jetty's idle timeout only counts silence. The body is {@link RequestDeadlines}'s.
 *
 * <p>A connection waiting for its next request (no byte of it yet) is left to the idle timeout. The
 * deadline is armed on the connection's own thread, after the parser took the bytes that arrived, and
 * disarmed there once the head is complete; the timer only closes a connection still armed.
 */
final class HeadDeadlineConnectionFactory extends HttpConnectionFactory {
    private static final Logger LOG = LoggerFactory.getLogger(HeadDeadlineConnectionFactory.class);

    /** The entry point's readTimeout in milliseconds; 0: no deadline. Updated on reload. */
    private volatile long readTimeoutMillis;

    HeadDeadlineConnectionFactory(HttpConfiguration configuration) {
        super(configuration);
    }

    void readTimeout(Duration timeout) {
        readTimeoutMillis = timeout.toMillis();
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        HeadWatch connection = new HeadWatch(getHttpConfiguration(), connector, endPoint);
        connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
        return configure(connection, connector, endPoint);
    }

    /** Jetty's HTTP/1.1 connection (an internal class, extended only to watch its parser after each fill). */
    private final class HeadWatch extends HttpConnection {
        private final AtomicReference<Scheduler.Task> deadline = new AtomicReference<>();

        HeadWatch(HttpConfiguration configuration, Connector connector, EndPoint endPoint) {
            super(configuration, connector, endPoint);
        }

        @Override
        public void onFillable() {
            super.onFillable();
            HttpParser parser = getParser();
            long timeout = readTimeoutMillis;
            if (timeout > 0 && parser.inHeaderState() && !parser.isStart()) {
                if (deadline.get() == null) {
                    Scheduler.Task task = getConnector().getScheduler().schedule(this::expire, timeout, TimeUnit.MILLISECONDS);
                    if (!deadline.compareAndSet(null, task)) {
                        task.cancel();
                    }
                }
            } else {
                disarm();
            }
        }

        private void expire() {
            if (deadline.get() != null) {
                LOG.debug("closing {}: request head not complete within readTimeout", getEndPoint().getRemoteSocketAddress());
                getEndPoint().close(new TimeoutException("readTimeout expired before the request head was complete"));
            }
        }

        private void disarm() {
            Scheduler.Task task = deadline.getAndSet(null);
            if (task != null) {
                task.cancel();
            }
        }

        @Override
        public void onClose(Throwable cause) {
            disarm();
            super.onClose(cause);
        }
    }
}
