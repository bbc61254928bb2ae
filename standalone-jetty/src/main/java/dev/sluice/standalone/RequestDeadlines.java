package dev.sluice.standalone;

import dev.sluice.proxy.config.EntryPointConfig;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Traefik's {@code respondingTimeouts.readTimeout} and {@code writeTimeout} (Go's
 * {@code http.Server} deadlines) for the HTTP/1 exchanges of the embedded server's entry points: a
 * request whose body has not fully arrived within {@code readTimeout}, or whose exchange is not over
 * within {@code writeTimeout}, is failed and its connection closed. A slow upload or a slow reader
 * cannot hold a connection and a proxy slot forever. HTTP/2 streams are left to the idle timeout.
 *
 * <p>A body is known by its {@code Content-Length} or {@code Transfer-Encoding}. The headers
 * themselves are bounded by the connection's idle timeout.
 *
 * <p>Cost on the hot path: nothing for requests without a body when {@code writeTimeout} is 0 (the
 * defaults), otherwise one scheduler task per request.
 */
final class RequestDeadlines extends Handler.Wrapper {
    private final Scheduler scheduler;
    /** Each entry point's timeouts, by connector name; replaced whole on reload. */
    private volatile Map<String, EntryPointConfig.RespondingTimeouts> timeouts = Map.of();
    private volatile boolean anyWriteTimeout;

    RequestDeadlines(Handler handler, Scheduler scheduler) {
        super(handler);
        this.scheduler = scheduler;
    }

    void timeouts(Map<String, EntryPointConfig.RespondingTimeouts> byEntryPoint) {
        this.timeouts = Map.copyOf(byEntryPoint);
        this.anyWriteTimeout = byEntryPoint.values().stream().anyMatch(t -> t.writeTimeout().toMillis() > 0);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        boolean body = hasBody(request);
        if (!body && (!anyWriteTimeout || request.getHeaders().contains(HttpHeader.UPGRADE))) {
            // The common GET: nothing to time. An upgrade becomes a tunnel with its own idle timeout.
            return super.handle(request, response, callback);
        }
        EntryPointConfig.RespondingTimeouts entryPoint = timeouts.get(request.getConnectionMetaData().getConnector().getName());
        if (entryPoint == null || request.getConnectionMetaData().getHttpVersion().getVersion() >= 20) {
            // HTTP/2: failing one stream from outside leaves the proxy servlet unaware of it (and
            // Jetty's graceful stop waiting for it); streams are bounded by the idle timeout instead.
            return super.handle(request, response, callback);
        }
        long write = entryPoint.writeTimeout().toMillis();
        long read = body ? entryPoint.readTimeout().toMillis() : 0;
        if (write <= 0 && read <= 0) {
            return super.handle(request, response, callback);
        }
        Deadlines deadlines = new Deadlines(callback, request);
        if (write > 0) {
            deadlines.write = scheduler.schedule(() -> deadlines.expire("writeTimeout"), write, TimeUnit.MILLISECONDS);
        }
        Request handled = request;
        if (read > 0) {
            deadlines.read = scheduler.schedule(() -> deadlines.expire("readTimeout"), read, TimeUnit.MILLISECONDS);
            handled = new BodyWatch(request, deadlines);
        }
        return super.handle(handled, response, deadlines);
    }

    private static boolean hasBody(Request request) {
        HttpField length = request.getHeaders().getField(HttpHeader.CONTENT_LENGTH);
        return length != null ? !"0".equals(length.getValue()) : request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    /** The deadlines of one exchange; whichever of completion and expiry comes first wins. */
    private static final class Deadlines extends Callback.Nested {
        private final AtomicBoolean over = new AtomicBoolean();
        private final Request request;
        private volatile Scheduler.Task read;
        private volatile Scheduler.Task write;

        Deadlines(Callback callback, Request request) {
            super(callback);
            this.request = request;
        }

        void bodyRead() {
            Scheduler.Task task = read;
            if (task != null) {
                task.cancel();
            }
        }

        /**
         * The connection is closed, as Go's deadline does; Jetty then fails the exchange as for a client
         * gone away (the servlet hears of it at its next read or write) and calls {@link #failed}.
         */
        void expire(String which) {
            if (over.get()) {
                return;
            }
            request.getConnectionMetaData().getConnection().getEndPoint().close(new TimeoutException(which + " expired"));
        }

        @Override
        public void succeeded() {
            if (over.compareAndSet(false, true)) {
                cancelAll();
                super.succeeded();
            }
        }

        @Override
        public void failed(Throwable x) {
            if (over.compareAndSet(false, true)) {
                cancelAll();
                super.failed(x);
            }
        }

        private void cancelAll() {
            bodyRead();
            Scheduler.Task task = write;
            if (task != null) {
                task.cancel();
            }
        }
    }

    /** Sees the last chunk of the request body go by. */
    private static final class BodyWatch extends Request.Wrapper {
        private final Deadlines deadlines;

        BodyWatch(Request request, Deadlines deadlines) {
            super(request);
            this.deadlines = deadlines;
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk chunk = super.read();
            if (chunk != null && chunk.isLast()) {
                deadlines.bodyRead();
            }
            return chunk;
        }
    }
}
