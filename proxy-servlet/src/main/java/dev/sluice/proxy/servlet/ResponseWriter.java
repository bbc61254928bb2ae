package dev.sluice.proxy.servlet;

import dev.sluice.proxy.service.Exchange;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.channels.WritePendingException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Writes upstream response content to the client without blocking, one chunk at a time, and
 * decides when to flush, as Traefik's {@code responseForwarding.flushInterval}: streaming responses
 * (no declared length, server-sent events) and a negative interval flush every chunk, so a proxy
 * never sits on bytes the upstream already sent; other responses flush at most {@code interval}
 * after a write (a timer), or when the container's buffer fills, or at the end — fewer flushes for
 * bodies that arrive in many chunks. A response whose last chunk is written needs no timer.
 *
 * <p>States: {@code IDLE} (no chunk) → {@link #write} → {@code READY} → {@code write()} →
 * {@code WRITING} → {@code flush()} (if flushing now) → {@code FLUSHING} → chunk callback succeeded →
 * {@code IDLE}; a timed flush goes {@code IDLE} → {@code TIMED_FLUSH} → {@code IDLE}, and a chunk
 * given meanwhile waits for it. Whenever the output stream is not ready, the container calls
 * {@link #onWritePossible} later and the state says where to resume. The next chunk is only
 * requested from the upstream when the callback succeeds, which is the back-pressure. The timer
 * runs on another thread, so state changes hold this object's lock; callbacks run outside it.
 */
final class ResponseWriter implements WriteListener {
    private enum State { IDLE, READY, WRITING, FLUSHING, TIMED_FLUSH }

    private final ServletOutputStream output;
    /** Aborts the upstream exchange: the client went away. */
    private final Consumer<Throwable> abortUpstream;
    private final Exchange exchange;
    private final long flushNanos;
    private final Scheduler scheduler;
    private long remaining;
    private State state = State.IDLE;
    private byte[] buffer;
    private int offset;
    private int length;
    private Callback callback;
    private boolean queued;
    private boolean unflushed;
    private boolean timerArmed;
    private boolean finished;

    /**
     * @param flushNanos negative: flush every chunk; 0: never early; positive: at most this late
     * @param contentLength the declared body length, or -1 (then every chunk is flushed)
     */
    ResponseWriter(ServletOutputStream output, Consumer<Throwable> abortUpstream, Exchange exchange, long flushNanos, long contentLength,
            Scheduler scheduler) {
        this.output = output;
        this.abortUpstream = abortUpstream;
        this.exchange = exchange;
        this.flushNanos = contentLength < 0 ? -1 : flushNanos;
        this.remaining = contentLength;
        this.scheduler = scheduler;
    }

    /** Queues one chunk; the caller then calls {@link #onWritePossible} (or registers this listener). */
    synchronized void write(byte[] bytes, int offset, int length, Callback callback) {
        if (state != State.IDLE && state != State.TIMED_FLUSH) {
            throw new WritePendingException();
        }
        this.buffer = bytes;
        this.offset = offset;
        this.length = length;
        this.callback = callback;
        if (state == State.IDLE) {
            state = State.READY;
        } else {
            queued = true;
        }
    }

    @Override
    public void onWritePossible() throws IOException {
        Callback done;
        synchronized (this) {
            done = advance();
        }
        if (done != null) {
            done.succeeded();
        }
    }

    /** Moves as far as the output allows; returns the callback of a chunk now fully handled, if any. */
    private Callback advance() throws IOException {
        if (state == State.TIMED_FLUSH) {
            if (!output.isReady()) {
                return null;
            }
            state = queued ? State.READY : State.IDLE;
            queued = false;
        }
        if (state == State.READY) {
            output.write(buffer, offset, length);
            if (remaining > 0) {
                remaining -= length;
            }
            state = State.WRITING;
            if (!output.isReady()) {
                return null;
            }
        }
        if (state == State.WRITING) {
            if (flushNanos >= 0) {
                unflushed = true;
                armTimer();
                return chunkDone();
            }
            output.flush();
            state = State.FLUSHING;
            if (!output.isReady()) {
                return null;
            }
        }
        return state == State.FLUSHING ? chunkDone() : null;
    }

    private Callback chunkDone() {
        Callback done = callback;
        buffer = null;
        callback = null;
        // Reset before the callback: it may demand the next chunk, which re-enters write().
        state = State.IDLE;
        return done;
    }

    /** A flush at most {@code flushNanos} from now, unless the body is complete (the end flushes it). */
    private void armTimer() {
        if (flushNanos > 0 && !timerArmed && remaining != 0) {
            timerArmed = true;
            scheduler.schedule(this::timedFlush, flushNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void timedFlush() {
        synchronized (this) {
            timerArmed = false;
            if (finished || !unflushed) {
                return;
            }
            if (state != State.IDLE) {
                armTimer(); // a chunk is on its way out; flush after it
                return;
            }
            unflushed = false;
            state = State.TIMED_FLUSH;
            try {
                output.flush();
                if (output.isReady()) {
                    state = State.IDLE;
                }
            } catch (IOException | IllegalStateException e) {
                // The client is gone or the response completed meanwhile: the write path reports it.
                state = State.IDLE;
            }
        }
    }

    /** The body is complete: the container flushes the rest, no timer may touch the stream any more. */
    synchronized void finish() {
        finished = true;
    }

    @Override
    public void onError(Throwable failure) {
        exchange.clientFailed(); // before the abort, which completes the upstream exchange
        Callback done;
        synchronized (this) {
            done = callback;
            callback = null;
            state = State.IDLE;
            finished = true;
        }
        if (done != null) {
            done.failed(failure);
        }
        abortUpstream.accept(failure);
    }
}
