package dev.sluice.proxy.middleware.body;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The output stream of a {@link RewrittenResponse}: bytes go through the response's
 * {@link BodyRewrite} on their way to the container's stream, in blocking and in non-blocking mode.
 *
 * <p>Non-blocking contract: each call of the writer (write, flush, close) starts at most one
 * write on the container's stream, so {@link #isReady()} stays truthful. A flush after a write
 * and the close after the tail are queued and run when the container's stream is ready again,
 * from {@link #isReady()} or from the container's {@code onWritePossible}; the writer's own
 * listener hears {@code onWritePossible} only once the queue is empty.
 *
 * <p>{@link #finish} ends the body (held bytes, the encoder's tail) and runs its action once
 * everything was written: the response's {@code AsyncContext.complete()} goes through it, so a
 * servlet that completes without closing the stream still sends a whole body.
 */
final class RewritingOutputStream extends ServletOutputStream {
    private enum Mode { UNDECIDED, PASS, TRANSFORM }

    /** One operation on the container's stream. */
    private interface Op {
        void run(ServletOutputStream out) throws IOException;
    }

    private static final Op FLUSH = ServletOutputStream::flush;

    private final RewrittenResponse response;
    private final ServletOutputStream out;
    private final ByteSink held = new ByteSink();
    private final ByteSink produced = new ByteSink();
    private final ArrayDeque<Op> pending = new ArrayDeque<>();
    private final List<Runnable> whenFinished = new ArrayList<>();
    private Mode mode = Mode.UNDECIDED;
    private OutputStream transform;
    private WriteListener listener;
    private boolean nonBlocking;
    private boolean finishing;
    private boolean emitted;
    private boolean abandoned;
    private IOException failure;

    RewritingOutputStream(RewrittenResponse response, ServletOutputStream out) {
        this.response = response;
        this.out = out;
    }

    @Override
    public synchronized boolean isReady() {
        try {
            return !nonBlocking || pump();
        } catch (IOException e) {
            failure = e;
            return true; // the next call reports it, as the container's stream does
        }
    }

    @Override
    public synchronized void setWriteListener(WriteListener writeListener) {
        this.listener = writeListener;
        this.nonBlocking = true;
        out.setWriteListener(new Relay());
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        checkFailure();
        if (finishing) {
            throw new IOException(abandoned ? "response body abandoned" : "response body already ended");
        }
        if (len == 0) {
            return;
        }
        switch (mode) {
            case UNDECIDED -> {
                held.write(b, off, len);
                if (decide(BodyRewrite.Moment.WRITE)) {
                    emitHeld();
                }
            }
            case PASS -> {
                if (pending.isEmpty()) {
                    out.write(b, off, len); // the writer saw isReady(): the container's stream is ready too
                } else {
                    pending.add(written(Arrays.copyOfRange(b, off, off + len)));
                }
                emitted = true;
            }
            case TRANSFORM -> {
                transform.write(b, off, len);
                emitProduced();
            }
        }
        pump();
    }

    @Override
    public synchronized void flush() throws IOException {
        checkFailure();
        if (finishing) {
            return;
        }
        if (mode == Mode.UNDECIDED) {
            if (held.size() == 0) {
                return; // nothing to flush yet; committing now would fix the headers too early
            }
            decide(BodyRewrite.Moment.FLUSH);
            emitHeld();
        }
        if (mode == Mode.TRANSFORM) {
            transform.flush();
            emitProduced();
        }
        if (emitted) {
            pending.add(FLUSH); // with nothing sent yet, a flush would only commit the headers too early
        }
        pump();
    }

    @Override
    public void close() throws IOException {
        finish(null);
    }

    /**
     * Ends the body: decides if nothing was decided yet, writes what is held and the
     * transformation's tail, and runs {@code then} once all of it was written (at once in
     * blocking mode). {@code then == null} closes the container's stream instead. Idempotent:
     * a later call only adds its action.
     */
    synchronized void finish(Runnable then) throws IOException {
        if (!finishing) {
            finishing = true;
            if (mode == Mode.UNDECIDED) {
                decide(BodyRewrite.Moment.END);
                emitHeld();
            }
            if (mode == Mode.TRANSFORM) {
                transform.close();
                emitProduced();
                if (transform instanceof BodyRewrite.Remainder remainder) {
                    pending.add(new Chunks(remainder.remainder()));
                }
            }
        }
        whenFinished.add(then != null ? then : () -> {
            try {
                out.close();
            } catch (IOException | IllegalStateException e) {
                // the client is gone or the container closed it already
            }
        });
        pump();
    }

    /** Forgets the body so far; only before anything reached the container's stream. */
    synchronized void reset() {
        release();
        held.clear();
        mode = Mode.UNDECIDED;
    }

    /**
     * The container answers by itself (an error page, an aborted connection): nothing more is
     * written from here, and finishing only runs its actions.
     */
    synchronized void abandon() {
        giveUp();
    }

    /** Nothing more is written: free the transform, forget what is queued or held. */
    private void giveUp() {
        release();
        dropPending();
        held.clear();
        mode = Mode.PASS;
        finishing = true;
        abandoned = true;
    }

    synchronized boolean decided() {
        return mode != Mode.UNDECIDED;
    }

    /** Asks the rewrite; returns true once decided. */
    private boolean decide(BodyRewrite.Moment moment) throws IOException {
        BodyRewrite.Transform chosen = response.decide(moment, held.view());
        if (chosen == BodyRewrite.HOLD) {
            if (moment == BodyRewrite.Moment.WRITE) {
                return false;
            }
            chosen = BodyRewrite.PASS;
        }
        if (chosen == BodyRewrite.PASS) {
            mode = Mode.PASS;
        } else {
            mode = Mode.TRANSFORM;
            transform = chosen.wrap(produced);
        }
        response.decided(chosen == BodyRewrite.PASS, held.size(), moment == BodyRewrite.Moment.END);
        return true;
    }

    private void emitHeld() throws IOException {
        if (held.size() == 0) {
            return;
        }
        if (mode == Mode.PASS) {
            pending.add(written(held.take()));
            emitted = true;
        } else {
            transform.write(held.take());
            emitProduced();
        }
    }

    private void emitProduced() {
        if (produced.size() > 0) {
            pending.add(written(produced.take()));
            emitted = true;
        }
    }

    private static Op written(byte[] bytes) {
        return out -> out.write(bytes);
    }

    /** Writes a remainder one chunk per operation, so readiness is checked between chunks. */
    private final class Chunks implements Op {
        private final InputStream source;
        private final byte[] chunk = new byte[32 * 1024];

        Chunks(InputStream source) {
            this.source = source;
        }

        @Override
        public void run(ServletOutputStream out) throws IOException {
            int n = source.readNBytes(chunk, 0, chunk.length);
            if (n <= 0) {
                source.close();
                return;
            }
            out.write(Arrays.copyOf(chunk, n));
            pending.addFirst(this);
        }
    }

    /**
     * Runs queued operations while the container's stream is ready; then, if the body ended,
     * the finishing actions. Returns whether the stream is ready for the writer.
     */
    private boolean pump() throws IOException {
        if (abandoned) {
            runFinishers();
            return true;
        }
        try {
            while (!pending.isEmpty()) {
                if (nonBlocking && !out.isReady()) {
                    return false;
                }
                pending.poll().run(out);
            }
            if (nonBlocking && !out.isReady()) {
                return false;
            }
        } catch (IOException | RuntimeException e) {
            giveUp();
            runFinishers(); // a failed body still ends its exchange
            throw e;
        }
        runFinishers();
        return true;
    }

    /**
     * Frees what an unfinished transform holds (native encoder memory, a temp file): its output
     * is thrown away.
     */
    private void release() {
        if (transform instanceof BodyRewrite.Remainder remainder) {
            remainder.discard();
        } else if (transform != null && !finishing) {
            try {
                transform.close();
            } catch (IOException | RuntimeException e) {
                // nothing more to free
            }
        }
        transform = null;
        produced.clear();
    }

    /** The body will not be written further: forget queued writes, releasing a remainder's file. */
    private void dropPending() {
        for (Op op : pending) {
            if (op instanceof Chunks chunks) {
                try {
                    chunks.source.close();
                } catch (IOException e) {
                    // nothing more to free
                }
            }
        }
        pending.clear();
    }

    private void runFinishers() {
        if (finishing && !whenFinished.isEmpty()) {
            List<Runnable> actions = List.copyOf(whenFinished);
            whenFinished.clear();
            actions.forEach(Runnable::run);
        }
    }

    private void checkFailure() throws IOException {
        if (failure != null) {
            throw failure;
        }
    }

    /** Hears the container's stream first, and passes readiness on once the queue is empty. */
    private final class Relay implements WriteListener {
        @Override
        public void onWritePossible() throws IOException {
            boolean ready;
            boolean forward;
            synchronized (RewritingOutputStream.this) {
                ready = pump();
                forward = ready && !finishing;
            }
            if (forward) {
                listener.onWritePossible();
            }
        }

        @Override
        public void onError(Throwable failure) {
            List<Runnable> actions;
            synchronized (RewritingOutputStream.this) {
                giveUp();
                actions = List.copyOf(whenFinished); // finish() may come later: then it runs its action at once
                whenFinished.clear();
            }
            listener.onError(failure);
            actions.forEach(Runnable::run);
        }
    }
}
