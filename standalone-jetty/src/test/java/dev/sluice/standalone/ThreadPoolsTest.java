package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThreadPoolsTest {
    private static final String[] KNOBS = {"sluice.maxThreads", "sluice.minThreads", "sluice.reservedThreads", "sluice.virtualThreads"};

    @AfterEach
    void clear() {
        for (String knob : KNOBS) {
            System.clearProperty(knob);
        }
    }

    @Test
    void defaultsAreJettysWithEightCoreThreads() {
        QueuedThreadPool pool = ThreadPools.newPool();
        assertEquals(200, pool.getMaxThreads());
        assertEquals(8, pool.getMinThreads());
        assertEquals(-1, pool.getReservedThreads());
        assertNull(pool.getVirtualThreadsExecutor());
        assertEquals("sluice", pool.getName());
    }

    @Test
    void knobsOverrideTheDefaults() {
        System.setProperty("sluice.maxThreads", "32");
        System.setProperty("sluice.minThreads", "4");
        System.setProperty("sluice.reservedThreads", "0");
        QueuedThreadPool pool = ThreadPools.newPool();
        assertEquals(32, pool.getMaxThreads());
        assertEquals(4, pool.getMinThreads());
        assertEquals(0, pool.getReservedThreads());
    }

    @Test
    void virtualThreadsWhereTheJvmHasThemElseAClearError() {
        System.setProperty("sluice.virtualThreads", "true");
        if (VirtualThreads.areSupported()) {
            assertNotNull(ThreadPools.newPool().getVirtualThreadsExecutor());
        } else {
            IllegalStateException e = assertThrows(IllegalStateException.class, ThreadPools::newPool);
            assertEquals("sluice.virtualThreads: this JVM has no virtual threads (JDK 21+)", e.getMessage());
        }
    }
}
