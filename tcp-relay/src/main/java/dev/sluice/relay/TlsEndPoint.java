package dev.sluice.relay;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;

/**
 * A side of a relayed connection spoken with TLS through an {@link SSLEngine}, non-blocking:
 * the client side when a router terminates TLS, the upstream side of a server with {@code tls = true}.
 *
 * <p>Three buffers of one TLS record each: records read from the channel ({@code netIn}), records
 * waiting for the channel ({@code netOut}), and decrypted bytes the session has no room for yet
 * ({@code appIn}). Nothing is read from the channel while {@code netIn} is full, and nothing is
 * encrypted while {@code netOut} still holds a record, so backpressure stays with the session's
 * buffers. The handshake moves on with whichever call comes; the engine's delegated tasks
 * (certificate checks, key exchange) run on {@code tasks}, and the session resumes on the reactor.
 * Ending output sends a close_notify, then shuts the socket's output (TLS 1.3 keeps the other
 * direction open, so half-close works as with plain TCP).
 */
final class TlsEndPoint implements EndPoint {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SocketChannel channel;
    private final SSLEngine engine;
    private final Reactor reactor;
    private final Executor tasks;
    private final Runnable resume;
    private final Predicate<SSLSession> acceptPeer;
    private ByteBuffer netIn;
    private ByteBuffer netOut;
    private ByteBuffer appIn;
    private boolean tasksRunning;
    private boolean channelEof;
    private boolean inboundDone;
    /** read() has returned the end of stream (which may have been found while returning bytes before it). */
    private boolean endReported;
    /** netIn holds part of a record and nothing was read since. */
    private boolean underflow;
    private boolean closing;
    private boolean shut;

    /**
     * @param received bytes already read from the channel (a peeked ClientHello), or null
     * @param resume runs on the reactor when delegated tasks are done
     * @param acceptPeer checked once the handshake is done; false fails it (peerCertSANs)
     */
    TlsEndPoint(SocketChannel channel, SSLEngine engine, Reactor reactor, Executor tasks, Runnable resume,
            Predicate<SSLSession> acceptPeer, ByteBuffer received) throws SSLException {
        this.channel = channel;
        this.engine = engine;
        this.reactor = reactor;
        this.tasks = tasks;
        this.resume = resume;
        this.acceptPeer = acceptPeer;
        SSLSession session = engine.getSession();
        netIn = ByteBuffer.allocate(Math.max(session.getPacketBufferSize(), received == null ? 0 : received.remaining()));
        if (received != null) {
            netIn.put(received);
        }
        netOut = ByteBuffer.allocate(session.getPacketBufferSize());
        appIn = ByteBuffer.allocate(session.getApplicationBufferSize());
        engine.beginHandshake();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!channelEof && netIn.hasRemaining()) {
            int n = channel.read(netIn);
            if (n < 0) {
                channelEof = true;
            } else if (n > 0) {
                underflow = false;
            }
        }
        advance();
        int n = drain(dst);
        if (n > 0 || appIn.position() > 0) {
            return n; // the end of stream, if any, comes after what is held
        }
        // An end of stream without close_notify is a truncation; the relay passes it on as an end all the same.
        endReported = inboundDone || channelEof;
        return endReported ? -1 : 0;
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        advance();
        if (tasksRunning || handshaking()) {
            return; // application bytes wait for the handshake
        }
        while (src.hasRemaining()) {
            if (engine.isOutboundDone()) {
                throw new SSLException("the TLS session is closed; " + src.remaining() + " bytes cannot be sent");
            }
            if (!wrap(src)) {
                return;
            }
            flush();
            if (netOut.position() > 0) {
                return; // the socket is full: wait until it is writable
            }
        }
    }

    @Override
    public boolean hasWork() {
        if (tasksRunning) {
            return false;
        }
        HandshakeStatus status = engine.getHandshakeStatus();
        return appIn.position() > 0 || netOut.position() > 0 || (netIn.position() > 0 && !underflow && !inboundDone)
                || ((inboundDone || channelEof) && !endReported)
                || status == HandshakeStatus.NEED_TASK || status == HandshakeStatus.NEED_WRAP;
    }

    @Override
    public boolean handshaking() {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status != HandshakeStatus.NOT_HANDSHAKING && status != HandshakeStatus.FINISHED;
    }

    @Override
    public void shutdownOutput() throws IOException {
        closing = true;
        engine.closeOutbound();
        advance();
        flush();
    }

    @Override
    public boolean outputShut() {
        return shut;
    }

    @Override
    public int interestOps(boolean wantRead, boolean haveOutput) {
        if (tasksRunning) {
            return 0; // resumed when the tasks are done
        }
        int ops = netOut.position() > 0 ? SelectionKey.OP_WRITE : 0;
        boolean canRead = !channelEof && netIn.hasRemaining();
        if (handshaking()) {
            if (canRead && engine.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP) {
                ops |= SelectionKey.OP_READ;
            }
        } else if (wantRead && canRead && !inboundDone) {
            ops |= SelectionKey.OP_READ;
        }
        return ops;
    }

    /** Does what the engine can do now: delegated tasks, handshake records both ways, decrypting into appIn. */
    private void advance() throws IOException {
        try {
            while (!tasksRunning) {
                flush();
                HandshakeStatus status = engine.getHandshakeStatus();
                if (status == HandshakeStatus.NEED_TASK) {
                    runTasks();
                    return;
                }
                if (status == HandshakeStatus.NEED_WRAP) {
                    if (netOut.position() > 0 || !wrap(EMPTY)) {
                        return; // the last record has not left yet
                    }
                } else if (!unwrap()) {
                    return;
                }
            }
        } catch (SSLException e) {
            sendAlert();
            throw e;
        }
    }

    /** Decrypts one record from netIn into appIn; false when nothing more can be done now. */
    private boolean unwrap() throws IOException {
        if (inboundDone || underflow || netIn.position() == 0) {
            return false;
        }
        netIn.flip();
        SSLEngineResult result;
        try {
            result = engine.unwrap(netIn, appIn);
        } finally {
            netIn.compact();
        }
        switch (result.getStatus()) {
            case OK -> {
                checkFinished(result);
                return result.bytesConsumed() > 0 || result.bytesProduced() > 0;
            }
            case CLOSED -> {
                inboundDone = true; // close_notify; TLS 1.2 may now want to answer with its own (NEED_WRAP)
                return engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP;
            }
            case BUFFER_UNDERFLOW -> {
                if (!netIn.hasRemaining()) {
                    netIn = enlarge(netIn, engine.getSession().getPacketBufferSize());
                    return true;
                }
                underflow = true;
                return false;
            }
            case BUFFER_OVERFLOW -> {
                if (appIn.position() == 0) {
                    appIn = enlarge(appIn, engine.getSession().getApplicationBufferSize());
                    return true;
                }
                return false; // the session takes what is there first
            }
            default -> throw new IllegalStateException("unexpected unwrap status " + result.getStatus());
        }
    }

    /** Encrypts from {@code src} into netOut; false when nothing was done (netOut full, or output closed). */
    private boolean wrap(ByteBuffer src) throws IOException {
        SSLEngineResult result = engine.wrap(src, netOut);
        switch (result.getStatus()) {
            case OK -> {
                checkFinished(result);
                return result.bytesProduced() > 0 || result.bytesConsumed() > 0;
            }
            case CLOSED -> {
                return result.bytesProduced() > 0;
            }
            case BUFFER_OVERFLOW -> {
                if (netOut.position() == 0) {
                    netOut = enlarge(netOut, engine.getSession().getPacketBufferSize());
                    return true;
                }
                return false;
            }
            default -> throw new IllegalStateException("unexpected wrap status " + result.getStatus());
        }
    }

    private void checkFinished(SSLEngineResult result) throws SSLHandshakeException {
        if (result.getHandshakeStatus() == HandshakeStatus.FINISHED && acceptPeer != null && !acceptPeer.test(engine.getSession())) {
            throw new SSLHandshakeException("the peer's certificate carries none of the names required (peerCertSANs/peerCertURI)");
        }
    }

    private void flush() throws IOException {
        if (netOut.position() > 0) {
            netOut.flip();
            channel.write(netOut);
            netOut.compact();
        }
        if (closing && !shut && netOut.position() == 0 && engine.isOutboundDone()) {
            shut = true;
            channel.shutdownOutput();
        }
    }

    private void runTasks() {
        tasksRunning = true;
        tasks.execute(() -> {
            for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                task.run();
            }
            reactor.execute(() -> {
                tasksRunning = false;
                resume.run();
            });
        });
    }

    /** Best effort: the alert the engine prepared after a failure tells the peer why (instead of a bare close). */
    private void sendAlert() {
        try {
            engine.wrap(EMPTY, netOut);
            flush();
        } catch (IOException | RuntimeException ignored) {
            // the connection is being closed anyway
        }
    }

    private int drain(ByteBuffer dst) {
        if (appIn.position() == 0 || !dst.hasRemaining()) {
            return 0;
        }
        appIn.flip();
        int n = Math.min(appIn.remaining(), dst.remaining());
        int limit = appIn.limit();
        appIn.limit(appIn.position() + n);
        dst.put(appIn);
        appIn.limit(limit);
        appIn.compact();
        return n;
    }

    private static ByteBuffer enlarge(ByteBuffer buffer, int size) {
        ByteBuffer larger = ByteBuffer.allocate(Math.max(size, buffer.capacity() * 2));
        buffer.flip();
        larger.put(buffer);
        return larger;
    }

    @Override
    public String toString() {
        return "tls(" + engine.getSession().getProtocol() + ")";
    }
}
