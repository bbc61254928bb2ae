package dev.sluice.proxy.transport;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpGenerator;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * One HTTP/1.1 connection to an upstream, carrying one {@link LeanCall} at a time.
 *
 * <p>Server→proxy: {@link #onFillable} fills one pooled buffer and runs the {@link HttpParser}; its
 * callbacks only note what they saw (the parser is not reentrant), and {@link #process} hands it to
 * the call's handler on the same thread. A body chunk pauses parsing until the handler completes
 * its callback: synchronously (the loop goes on) or later from another thread, which then resumes
 * the loop itself ({@link #demand}: {@code IDLE → PENDING → DONE} inline, {@code PENDING → ASYNC →}
 * resumed). The connection is fill-interested whenever it is idle or waiting for bytes, and only
 * then, so a server closing an idle connection is noticed and the connection leaves the pool.
 *
 * <p>Proxy→server: {@link Sender} runs the {@link HttpGenerator} for the head and each body chunk,
 * one write in flight at a time.
 */
final class LeanConnection extends AbstractConnection implements HttpParser.ResponseHandler {
    private static final int IDLE = 0;
    private static final int PENDING = 1;
    private static final int DONE = 2;
    private static final int ASYNC = 3;
    private static final int HEADER_BUFFER = 32 * 1024;
    private static final int INPUT_BUFFER = 32 * 1024;

    private enum Event { NONE, HEADERS, CONTENT, COMPLETE }

    private final LeanUpstream pool;
    private final String key;
    private final ByteBufferPool buffers;
    private final HttpParser parser = new HttpParser(this, 64 * 1024, HttpCompliance.RFC9110);
    private final HttpGenerator generator = new HttpGenerator();
    private final Sender sender = new Sender();
    private final AtomicInteger demand = new AtomicInteger();
    /** Of the current call: 1 when its request or its answer is complete, 2 when both are (kept), 3 when closed instead. */
    private final AtomicInteger ends = new AtomicInteger();
    private final Callback demandCallback = new Callback() {
        @Override
        public void succeeded() {
            if (!demand.compareAndSet(PENDING, DONE) && demand.compareAndSet(ASYNC, IDLE)) {
                process();
            }
        }

        @Override
        public void failed(Throwable x) {
            LeanCall c = call;
            if (c != null) {
                c.abort(x);
            }
        }
    };

    private volatile LeanCall call;
    private RetainableByteBuffer input;
    private boolean reused;
    private boolean received;
    private volatile boolean requestDone;
    private boolean eof;
    private Event event = Event.NONE;
    private ByteBuffer content;
    private int status;
    private String reason;
    private HttpVersion version;
    private HttpFields.Mutable fields;
    private HttpFields.Mutable trailers;
    private Throwable parseFailure;

    LeanConnection(EndPoint endPoint, Executor executor, LeanUpstream pool, String key) {
        super(endPoint, executor);
        this.pool = pool;
        this.key = key;
        this.buffers = pool.client().getByteBufferPool();
    }

    String key() {
        return key;
    }

    @Override
    public void onOpen() {
        super.onOpen();
        fillInterested();
    }

    /** Starts {@code next} on this connection: sends its head, then parses its answer as it comes. */
    void start(LeanCall next, boolean reused) {
        if (!next.attach(this)) {
            close();
            return;
        }
        pool.started();
        this.reused = reused;
        received = false;
        requestDone = false;
        ends.set(0);
        eof = false;
        event = Event.NONE;
        parseFailure = null;
        trailers = null;
        demand.set(IDLE);
        parser.setHeadResponse("HEAD".equals(next.head().getMethod()));
        call = next;
        boolean last = !next.hasBody();
        sender.send(next.head(), null, last, Callback.from(() -> {
            if (!next.isOver()) {
                next.handler().onCommitted();
            }
            if (last) {
                requestSent(next);
            }
        }, x -> requestFailed(next, x)));
    }

    /** One chunk of the current call's request body. */
    void writeContent(ByteBuffer chunk, boolean last, Callback callback) {
        LeanCall c = call;
        sender.send(null, chunk, last, Callback.from(() -> {
            if (last) {
                requestSent(c);
            }
            callback.succeeded();
        }, x -> {
            callback.failed(x);
            requestFailed(c, x);
        }));
    }

    /**
     * The whole request is on the wire. The answer may have been parsed already (on the selector
     * thread, before this write's callback ran): whichever of the two ends second keeps the connection.
     */
    private void requestSent(LeanCall c) {
        requestDone = true;
        if (!c.isOver()) {
            c.handler().onRequestSent();
        }
        if (ends.incrementAndGet() == 2) {
            keep();
        }
    }

    private void requestFailed(LeanCall c, Throwable x) {
        if (call == c) {
            failCall(x);
        } else if (ends.compareAndSet(1, 3)) {
            pool.ended(); // the answer was whole and waited for the request to end; it never will
            close();
        }
    }

    /** Back to the pool: both the request and its answer are complete. */
    private void keep() {
        parser.reset();
        generator.reset();
        fillInterested();
        pool.release(this);
    }

    @Override
    public void onFillable() {
        if (call == null) {
            idleFill();
            return;
        }
        process();
    }

    /** Bytes (or the end) on an idle connection: the server closed it, or spoke out of turn. Either way it goes. */
    private void idleFill() {
        ByteBuffer probe = BufferUtil.allocate(1);
        try {
            int n = getEndPoint().fill(probe);
            if (n == 0 && call == null) {
                fillInterested();
                return;
            }
            if (n == 0) {
                process(); // a call took the connection meanwhile: its answer starts
                return;
            }
        } catch (IOException ignored) {
            // closed below
        }
        if (call == null) {
            pool.removeIdle(this);
        }
        close();
    }

    /** Parses and delivers until the answer is complete, the handler holds a chunk, or more bytes are needed. */
    private void process() {
        while (true) {
            LeanCall c = call;
            if (c == null || c.isOver()) {
                releaseInput();
                return;
            }
            if (input == null) {
                input = buffers.acquire(INPUT_BUFFER, false);
            }
            ByteBuffer buffer = input.getByteBuffer();
            // Parse first, even an empty buffer: the parser ends a body whose last byte it already gave out.
            boolean handle;
            try {
                handle = parser.parseNext(buffer);
            } catch (Throwable x) {
                failCall(x);
                return;
            }
            if (parseFailure != null) {
                failCall(parseFailure);
                return;
            }
            if (handle) {
                if (!deliver(c)) {
                    return;
                }
                continue;
            }
            if (eof) {
                failCall(new EOFException("upstream closed the connection" + (received ? " mid-answer" : "")));
                return;
            }
            if (buffer.hasRemaining()) {
                continue;
            }
            int filled;
            try {
                BufferUtil.clear(buffer);
                filled = getEndPoint().fill(buffer);
            } catch (IOException x) {
                failCall(x);
                return;
            }
            if (filled > 0) {
                received = true;
                continue;
            }
            if (filled == 0) {
                releaseInput();
                fillInterested();
                return;
            }
            eof = true;
            parser.atEOF();
        }
    }

    /** Hands the parser's event to the handler; false when the loop must stop (waiting, or the call is over). */
    private boolean deliver(LeanCall c) {
        Event seen = event;
        event = Event.NONE;
        switch (seen) {
            case HEADERS -> {
                if (HttpStatus.isInterim(status)) {
                    c.handler().onInterim(status);
                } else {
                    c.handler().onHeaders(new MetaData.Response(status, reason, version, fields));
                }
                return !c.isOver();
            }
            case CONTENT -> {
                demand.set(PENDING);
                c.handler().onContent(content, demandCallback);
                if (demand.compareAndSet(PENDING, ASYNC)) {
                    return false; // the callback resumes the loop
                }
                demand.set(IDLE);
                return !c.isOver();
            }
            case COMPLETE -> {
                if (HttpStatus.isInterim(status)) {
                    parser.reset();
                    parser.setHeadResponse("HEAD".equals(c.head().getMethod()));
                    return true;
                }
                complete(c);
                return false;
            }
            default -> {
                return true;
            }
        }
    }

    /** The answer is whole: the connection goes back to the pool if both sides may keep it, then the call ends. */
    private void complete(LeanCall c) {
        HttpFields end = trailers;
        // A body still being sent when the answer ended (the server answered early) is cut: close.
        boolean keep = persistent() && !eof && (input == null || !input.hasRemaining()) && (requestDone || !c.hasBody());
        call = null;
        releaseInput();
        if (keep) {
            if (ends.incrementAndGet() == 2) {
                keep();
            }
        } else {
            ends.set(3);
            pool.ended();
            close();
        }
        c.completed(end);
    }

    /** The answer lets the connection be kept (the request never asks to close: Connection is hop-by-hop and dropped). */
    private boolean persistent() {
        HttpFields f = fields;
        if (version == HttpVersion.HTTP_1_1) {
            return !f.contains(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        }
        return version == HttpVersion.HTTP_1_0 && f.contains(HttpHeader.CONNECTION, HttpHeaderValue.KEEP_ALIVE.asString());
    }

    /** The current call failed on this connection: the connection closes, the call hears why (and may be sent again). */
    private void failCall(Throwable cause) {
        LeanCall c = call;
        call = null;
        releaseInput();
        if (c != null) {
            pool.ended();
        }
        close();
        if (c != null) {
            c.failed(cause, reused && !received);
        }
    }

    @Override
    public void onClose(Throwable cause) {
        super.onClose(cause);
        LeanCall c = call;
        if (c == null) {
            pool.removeIdle(this);
            return;
        }
        call = null;
        pool.ended();
        c.failed(cause != null ? cause : new EOFException("upstream connection closed"), reused && !received);
    }

    @Override
    public boolean onIdleExpired(TimeoutException timeout) {
        LeanCall c = call;
        if (c != null) {
            failCall(timeout);
        } else {
            pool.removeIdle(this);
        }
        return true;
    }

    private void releaseInput() {
        if (input != null && !input.hasRemaining()) {
            input.release();
            input = null;
        }
    }

    // --- parser callbacks: note, do not act (the parser is not reentrant) ---

    @Override
    public void startResponse(HttpVersion version, int status, String reason) {
        this.version = version;
        this.status = status;
        this.reason = reason;
        this.fields = HttpFields.build();
    }

    @Override
    public void parsedHeader(HttpField field) {
        fields.add(field);
    }

    @Override
    public boolean headerComplete() {
        event = Event.HEADERS;
        return true;
    }

    @Override
    public boolean content(ByteBuffer chunk) {
        content = chunk;
        event = Event.CONTENT;
        return true;
    }

    @Override
    public boolean contentComplete() {
        return false;
    }

    @Override
    public void parsedTrailer(HttpField field) {
        if (trailers == null) {
            trailers = HttpFields.build();
        }
        trailers.add(field);
    }

    @Override
    public boolean messageComplete() {
        event = Event.COMPLETE;
        return true;
    }

    @Override
    public void earlyEOF() {
        parseFailure = new EOFException("upstream closed the connection mid-answer");
    }

    @Override
    public void badMessage(HttpException failure) {
        parseFailure = new IOException("bad answer from upstream: " + failure.getReason());
    }

    /** Generates and writes the head and body chunks, one step per {@link #send}; Jetty's HttpSenderOverHTTP does the same. */
    private final class Sender extends IteratingCallback {
        private MetaData.Request info;
        private ByteBuffer chunkContent;
        private boolean last;
        private Callback done;
        private RetainableByteBuffer header;
        private RetainableByteBuffer chunk;

        void send(MetaData.Request info, ByteBuffer content, boolean last, Callback done) {
            this.info = info;
            this.chunkContent = content;
            this.last = last;
            this.done = done;
            iterate();
        }

        @Override
        protected Action process() throws Exception {
            if (done == null) {
                return Action.IDLE;
            }
            int turns = 0;
            while (true) {
                ByteBuffer h = header == null ? null : header.getByteBuffer();
                ByteBuffer k = chunk == null ? null : chunk.getByteBuffer();
                HttpGenerator.Result result = generator.generateRequest(info, h, k, chunkContent, last);
                switch (result) {
                    case NEED_HEADER -> header = buffers.acquire(HEADER_BUFFER, false);
                    case HEADER_OVERFLOW -> throw new IOException("request header too large");
                    case NEED_CHUNK -> chunk = buffers.acquire(HttpGenerator.CHUNK_SIZE, false);
                    case NEED_CHUNK_TRAILER -> {
                        releaseBuffers();
                        chunk = buffers.acquire(HEADER_BUFFER, false);
                    }
                    case FLUSH -> {
                        info = null;
                        getEndPoint().write(this, nonNull(h), nonNull(k), nonNull(chunkContent));
                        return Action.SCHEDULED;
                    }
                    case SHUTDOWN_OUT, CONTINUE -> {
                        // CONTINUE: the generator moved on (e.g. to the last chunk) and wants another turn;
                        // SHUTDOWN_OUT: the request asked to close, which the answer's handling sees.
                        if (++turns > 16) {
                            throw new IllegalStateException("request generator is stuck: " + generator);
                        }
                    }
                    case DONE -> {
                        releaseBuffers();
                        Callback finished = done;
                        done = null;
                        chunkContent = null;
                        info = null;
                        finished.succeeded();
                        return Action.IDLE;
                    }
                    default -> throw new IllegalStateException(result.toString());
                }
            }
        }

        /** The step's buffers are on the wire: the generator asks for fresh ones if it needs more. */
        @Override
        protected void onSuccess() {
            releaseBuffers();
        }

        private ByteBuffer nonNull(ByteBuffer b) {
            return b == null ? BufferUtil.EMPTY_BUFFER : b;
        }

        private void releaseBuffers() {
            if (header != null) {
                header.release();
                header = null;
            }
            if (chunk != null) {
                chunk.release();
                chunk = null;
            }
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            releaseBuffers();
            Callback failed = done;
            done = null;
            if (failed != null) {
                failed.failed(cause);
            }
        }
    }
}
