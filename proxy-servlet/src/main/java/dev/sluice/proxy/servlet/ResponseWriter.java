package dev.sluice.proxy.servlet;

import dev.sluice.proxy.service.Exchange;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.channels.WritePendingException;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Writes upstream response content to the client without blocking, one chunk at a time, and
 * flushes each chunk: a proxy must not sit on bytes the upstream already sent (server-sent events,
 * long polls, the first bytes of a big download). The container's output buffer still merges what
 * a single chunk writes.
 *
 * <p>States: {@code IDLE} (no chunk) → {@link #write} → {@code READY} → {@code write()} →
 * {@code WRITING} → {@code flush()} → {@code FLUSHING} → chunk callback succeeded → {@code IDLE}.
 * Whenever the output stream is not ready, the container calls {@link #onWritePossible} later and
 * the state says where to resume. The next chunk is only requested from the upstream when the
 * callback succeeds, which is the back-pressure.
 */
final class ResponseWriter implements WriteListener {
    private enum State { IDLE, READY, WRITING, FLUSHING }

    private final ServletOutputStream output;
    private final Response upstream;
    private final Exchange exchange;
    private State state = State.IDLE;
    private byte[] buffer;
    private int offset;
    private int length;
    private Callback callback;

    ResponseWriter(ServletOutputStream output, Response upstream, Exchange exchange) {
        this.output = output;
        this.upstream = upstream;
        this.exchange = exchange;
    }

    /** Queues one chunk; the caller then calls {@link #onWritePossible} (or registers this listener). */
    void write(byte[] bytes, int offset, int length, Callback callback) {
        if (state != State.IDLE) {
            throw new WritePendingException();
        }
        this.buffer = bytes;
        this.offset = offset;
        this.length = length;
        this.callback = callback;
        this.state = State.READY;
    }

    @Override
    public void onWritePossible() throws IOException {
        if (state == State.READY) {
            output.write(buffer, offset, length);
            state = State.WRITING;
            if (!output.isReady()) {
                return;
            }
        }
        if (state == State.WRITING) {
            output.flush();
            state = State.FLUSHING;
            if (!output.isReady()) {
                return;
            }
        }
        if (state == State.FLUSHING) {
            complete();
        }
    }

    private void complete() {
        Callback done = callback;
        buffer = null;
        callback = null;
        // Reset before the callback: it may demand the next chunk, which re-enters write().
        state = State.IDLE;
        done.succeeded();
    }

    @Override
    public void onError(Throwable failure) {
        exchange.clientFailed(); // before the abort, which completes the upstream exchange
        Callback done = callback;
        callback = null;
        state = State.IDLE;
        if (done != null) {
            done.failed(failure);
        }
        upstream.abort(failure);
    }
}
