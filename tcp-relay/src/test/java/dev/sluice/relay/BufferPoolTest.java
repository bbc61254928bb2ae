package dev.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BufferPoolTest {
    @Test
    void lendsDirectBuffersAndReusesTheLastReturnedFirst() {
        BufferPool pool = new BufferPool(1024);
        ByteBuffer a = pool.acquire();
        ByteBuffer b = pool.acquire();
        assertTrue(a.isDirect());
        assertEquals(1024, a.capacity());
        assertNotSame(a, b);
        a.put((byte) 1);
        pool.release(a);
        pool.release(b);
        pool.release(null);
        assertEquals(2, pool.free());
        assertSame(b, pool.acquire());
        ByteBuffer again = pool.acquire();
        assertSame(a, again);
        assertEquals(0, again.position(), "a returned buffer comes back empty");
        assertEquals(1024, again.remaining());
    }

    @Test
    void keepsAtMostMaxFree() {
        BufferPool pool = new BufferPool(16);
        List<ByteBuffer> lent = new ArrayList<>();
        for (int i = 0; i < BufferPool.MAX_FREE + 10; i++) {
            lent.add(pool.acquire());
        }
        lent.forEach(pool::release);
        assertEquals(BufferPool.MAX_FREE, pool.free());
    }
}
