package dev.sluice.proxy.middleware.body;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** A growable byte buffer that encoders write into and the output stream drains. */
final class ByteSink extends OutputStream {
    private byte[] bytes = new byte[256];
    private int size;

    @Override
    public void write(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    /** A read-only view of the bytes so far, valid until the next write. */
    ByteBuffer view() {
        return ByteBuffer.wrap(bytes, 0, size).asReadOnlyBuffer();
    }

    int size() {
        return size;
    }

    /**
     * The bytes so far, as a fresh array (the container may keep a written array until the write
     * completes), and empties the sink.
     */
    byte[] take() {
        byte[] taken = Arrays.copyOf(bytes, size);
        size = 0;
        return taken;
    }

    void clear() {
        size = 0;
    }
}
