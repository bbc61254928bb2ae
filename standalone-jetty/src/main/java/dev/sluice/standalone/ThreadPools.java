package dev.sluice.standalone;

import java.util.concurrent.Executor;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The one thread pool of the embedded server and the upstream clients. System properties, for
 * measuring (see src/bench/README.md, "Levers"): {@code sluice.maxThreads} (default 200),
 * {@code sluice.minThreads} (8), {@code sluice.reservedThreads} (Jetty's heuristic: -1),
 * {@code sluice.virtualThreads} ({@code true}: blocking tasks on virtual threads, JDK 21+).
 */
final class ThreadPools {
    private ThreadPools() {}

    static QueuedThreadPool newPool() {
        QueuedThreadPool threads = new QueuedThreadPool(Integer.getInteger("sluice.maxThreads", 200),
                Integer.getInteger("sluice.minThreads", 8));
        threads.setName("sluice");
        threads.setReservedThreads(Integer.getInteger("sluice.reservedThreads", -1));
        if (Boolean.getBoolean("sluice.virtualThreads")) {
            Executor virtual = VirtualThreads.getNamedVirtualThreadsExecutor("sluice-virtual");
            if (virtual == null) {
                throw new IllegalStateException("sluice.virtualThreads: this JVM has no virtual threads (JDK 21+)");
            }
            threads.setVirtualThreadsExecutor(virtual);
        }
        return threads;
    }
}
