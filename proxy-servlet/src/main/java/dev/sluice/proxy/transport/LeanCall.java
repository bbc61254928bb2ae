package dev.sluice.proxy.transport;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.util.Callback;

/**
 * One call of the lean engine: which connection carries it, and that it ends exactly once. A call
 * whose reused keep-alive connection turns out closed before any byte of an answer arrived is sent
 * once more on a fresh connection, if it is idempotent and has no body (the server may have
 * processed nothing, but a POST must never be sent twice on a guess).
 */
final class LeanCall implements UpstreamCall {
    private final LeanUpstream pool;
    private final String host;
    private final int port;
    private final String key;
    private final MetaData.Request head;
    private final boolean hasBody;
    private final Handler handler;
    private final AtomicBoolean over = new AtomicBoolean();
    private volatile LeanConnection connection;
    private boolean retried;

    LeanCall(LeanUpstream pool, String host, int port, MetaData.Request head, boolean hasBody, Handler handler) {
        this.pool = pool;
        this.host = host;
        this.port = port;
        this.key = host + ':' + port;
        this.head = head;
        this.hasBody = hasBody;
        this.handler = handler;
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    String key() {
        return key;
    }

    MetaData.Request head() {
        return head;
    }

    boolean hasBody() {
        return hasBody;
    }

    Handler handler() {
        return handler;
    }

    boolean isOver() {
        return over.get();
    }

    /** The connection that carries this call now; false if the call ended meanwhile (the caller closes it). */
    boolean attach(LeanConnection connection) {
        this.connection = connection;
        return !over.get();
    }

    @Override
    public void send() {
        pool.acquire(this);
    }

    @Override
    public void write(ByteBuffer content, boolean last, Callback callback) {
        LeanConnection c = connection;
        if (c == null || over.get()) {
            callback.failed(new IllegalStateException("call is over"));
            return;
        }
        c.writeContent(content, last, callback);
    }

    @Override
    public void abort(Throwable cause) {
        if (over.compareAndSet(false, true)) {
            LeanConnection c = connection;
            if (c != null) {
                c.close();
            }
            handler.onFailure(cause);
        }
    }

    /** The answer is complete (the connection is already released or closed). */
    void completed(HttpFields trailers) {
        if (over.compareAndSet(false, true)) {
            handler.onComplete(trailers);
        }
    }

    /**
     * The call failed; {@code stale}: on a reused connection, before any byte of an answer, so the
     * server most likely closed it idle and saw nothing.
     */
    void failed(Throwable cause, boolean stale) {
        if (stale && !retried && !hasBody && idempotent(head.getMethod()) && !over.get()) {
            retried = true;
            connection = null;
            pool.connect(this);
            return;
        }
        if (over.compareAndSet(false, true)) {
            handler.onFailure(cause);
        }
    }

    private static boolean idempotent(String method) {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE" -> true;
            default -> false;
        };
    }
}
