package dev.sluice.relay;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One direction of a relayed connection: the bytes read from one side and not yet written to the
 * other, in a buffer borrowed from the entry point's {@link BufferPool} only while it holds any (an
 * idle connection holds none), and whether that side has ended. Reactor thread only.
 */
final class Lane {
    private final BufferPool pool;
    /** Write mode; null while empty. */
    private ByteBuffer buffer;
    private boolean ended;
    /** Bytes written on to the other side, for observers. */
    private long relayed;

    Lane(BufferPool pool) {
        this.pool = pool;
    }

    /** True once the side this lane reads from has sent its end of stream. */
    boolean ended() {
        return ended;
    }

    boolean isEmpty() {
        return buffer == null;
    }

    /** True if more bytes fit (an empty lane borrows a buffer when they come). */
    boolean hasRoom() {
        return buffer == null || buffer.hasRemaining();
    }

    /**
     * Reads from {@code from} until the lane is full, nothing more is there for now, or the side
     * ended; a TLS side also moves its handshake on. Reading on after data sees an end of stream
     * right behind it (a server that answers and closes) in this round instead of the next one
     * through the selector. True if bytes came.
     */
    boolean fill(EndPoint from) throws IOException {
        if (buffer == null) {
            buffer = pool.acquire();
        } else if (!buffer.hasRemaining() && !from.handshaking()) {
            return false;
        }
        int before = buffer.position();
        int n;
        do {
            n = from.read(buffer);
        } while (n > 0 && buffer.hasRemaining());
        ended |= n < 0;
        boolean came = buffer.position() > before;
        releaseIfEmpty();
        return came;
    }

    /** Writes what the lane holds to {@code to} (nothing held: a TLS side may still flush records); true if any byte left. */
    boolean drain(EndPoint to) throws IOException {
        if (buffer == null) {
            if (to.hasWork()) {
                to.write(EndPoint.NOTHING);
            }
            return false;
        }
        buffer.flip();
        int before = buffer.remaining();
        to.write(buffer);
        int written = before - buffer.remaining();
        relayed += written;
        boolean wrote = written > 0;
        buffer.compact();
        releaseIfEmpty();
        return wrote;
    }

    /** Bytes this lane has written on to the other side so far. */
    long relayed() {
        return relayed;
    }

    /** A copy of the bytes held (peeking only: the buffer is direct). */
    byte[] peek() {
        if (buffer == null) {
            return new byte[0];
        }
        byte[] data = new byte[buffer.position()];
        buffer.get(0, data);
        return data;
    }

    /** Drops the first {@code n} bytes held (a PROXY header that was read). */
    void skip(int n) {
        buffer.flip().position(n);
        buffer.compact();
        releaseIfEmpty();
    }

    /** The bytes held, for reading, until {@link #release()}; an empty buffer when none. */
    ByteBuffer held() {
        return buffer == null ? EndPoint.NOTHING : buffer.flip();
    }

    /** Gives the buffer back, dropping what it holds. */
    void release() {
        pool.release(buffer);
        buffer = null;
    }

    private void releaseIfEmpty() {
        if (buffer.position() == 0) {
            release();
        }
    }
}
