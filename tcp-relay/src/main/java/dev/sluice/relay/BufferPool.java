package dev.sluice.relay;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Direct buffers of one size, lent to TCP sessions only while they hold bytes in flight. Reactor
 * thread only, so no locks.
 *
 * <p>Why direct: a socket read or write with a heap buffer makes the JDK copy through a temporary
 * direct buffer of its own; a direct buffer is handed to the kernel as it is. Why lent: a session
 * takes a buffer for a direction when it reads and gives it back as soon as the bytes are written,
 * so an idle connection holds none (10,000 idle connections would otherwise pin 2 × 32 KiB of
 * native memory each), and a busy relay keeps reusing the same few buffers, warm in the cache, and
 * allocates nothing per connection.
 */
final class BufferPool {
    /** Free buffers kept for reuse beyond this many are left to the garbage collector. */
    static final int MAX_FREE = 256;

    private final int size;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();

    BufferPool(int size) {
        this.size = size;
    }

    /** An empty buffer, ready to read into. */
    ByteBuffer acquire() {
        ByteBuffer buffer = free.pollFirst();
        return buffer != null ? buffer : ByteBuffer.allocateDirect(size);
    }

    /** Takes {@code buffer} back (its content is dropped); null is ignored. */
    void release(ByteBuffer buffer) {
        if (buffer != null && free.size() < MAX_FREE) {
            buffer.clear();
            free.addFirst(buffer); // last in, first out: the most recently used buffer is the warmest
        }
    }

    /** Buffers waiting for reuse (for tests). */
    int free() {
        return free.size();
    }
}
