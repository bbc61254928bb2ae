package dev.sluice.relay;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One side of a relayed connection as {@link TcpSession} sees it: application bytes in and out.
 * {@link Plain} hands the session's buffers straight to the channel (no copy); {@link TlsEndPoint}
 * encrypts and decrypts in between. Reactor thread only.
 */
interface EndPoint {
    /** No bytes: what a TLS side is handed to flush its own records (nothing ever writes into it). */
    ByteBuffer NOTHING = ByteBuffer.allocate(0);

    /** Reads application bytes into {@code dst} (write mode); -1 at end of stream, 0 when none is there yet. */
    int read(ByteBuffer dst) throws IOException;

    /** Writes what it can of {@code src} (read mode). */
    void write(ByteBuffer src) throws IOException;

    /**
     * True if {@link #read} or {@link #write} has work without new bytes from the session or the
     * socket: a TLS handshake step, records still to send, decrypted bytes held.
     */
    boolean hasWork();

    /** True while a TLS handshake runs: the session's buffers do not say what this side needs then. */
    boolean handshaking();

    /** Starts passing on the end of stream (TLS: a close_notify first); {@link #outputShut} says when it is done. */
    void shutdownOutput() throws IOException;

    /** True once the peer has been sent everything including the end of stream. */
    boolean outputShut();

    /**
     * True if closing the socket ends the output as well as {@link #shutdownOutput} would: a plain
     * socket's close sends the FIN; TLS owes the peer a close_notify first.
     */
    default boolean closeEndsOutput() {
        return false;
    }

    /**
     * The selection interest this side needs.
     *
     * @param wantRead the session has room for this side's bytes
     * @param haveOutput the session holds bytes for this side
     */
    int interestOps(boolean wantRead, boolean haveOutput);

    /** The channel itself: the session's buffers meet the socket directly. */
    final class Plain implements EndPoint {
        private final SocketChannel channel;
        private boolean shut;

        Plain(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return channel.read(dst);
        }

        @Override
        public void write(ByteBuffer src) throws IOException {
            channel.write(src);
        }

        @Override
        public boolean hasWork() {
            return false;
        }

        @Override
        public boolean handshaking() {
            return false;
        }

        @Override
        public void shutdownOutput() throws IOException {
            shut = true;
            channel.shutdownOutput();
        }

        @Override
        public boolean outputShut() {
            return shut;
        }

        @Override
        public boolean closeEndsOutput() {
            return true;
        }

        @Override
        public int interestOps(boolean wantRead, boolean haveOutput) {
            return (wantRead ? SelectionKey.OP_READ : 0) | (haveOutput ? SelectionKey.OP_WRITE : 0);
        }
    }
}
