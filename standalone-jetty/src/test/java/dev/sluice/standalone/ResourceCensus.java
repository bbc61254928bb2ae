package dev.sluice.standalone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jetty.client.AbstractConnectionPool;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * What one Sluice holds at a moment, to compare before and after a fault: threads of this JVM (the
 * test's own left out; the server pool's counted when busy), open file descriptors ({@code /proc/self/fd},
 * less the fake upstreams' sockets), upstream
 * connections busy and idle, client connections to the entry points, and pooled byte buffers that are
 * taken and not given back (Jetty's {@link ArrayByteBufferPool} statistics of every upstream client
 * and every entry point). A buffer that is released goes back to its bucket; a leak stays taken.
 */
record ResourceCensus(int threads, int fds, int activeUpstream, int idleUpstream, int clientEndPoints, long buffersInUse,
        Set<String> threadNames) {
    /** Threads of the test itself (fake upstreams, clients) are named so, and not counted. */
    static final String TEST_THREADS = "test-";

    /** The census of {@code sluice}, whose upstream clients are those of {@code transports}. */
    static ResourceCensus of(Sluice sluice, String... transports) {
        int active = 0;
        int idle = 0;
        long buffers = 0;
        Set<ByteBufferPool> pools = new HashSet<>();
        for (String transport : transports) {
            HttpClient client = sluice.server.runtime().clients().get(transport);
            for (Destination destination : client.getDestinations()) {
                if (destination.getConnectionPool() instanceof AbstractConnectionPool pool) {
                    active += pool.getActiveConnectionCount();
                    idle += pool.getIdleConnectionCount();
                }
            }
            pools.add(client.getByteBufferPool());
        }
        int endPoints = 0;
        int busyPoolThreads = 0;
        for (ServerConnector connector : sluice.server.connectors().values()) {
            if (connector.getServer().getThreadPool() instanceof QueuedThreadPool pool) {
                busyPoolThreads = pool.getBusyThreads(); // one pool for the server and its upstream clients
            }
            endPoints += connector.getConnectedEndPoints().size();
            pools.add(connector.getByteBufferPool());
        }
        for (ByteBufferPool pool : pools) {
            buffers += inUse(pool);
        }
        Set<String> names = threadsOutsideThePool();
        return new ResourceCensus(names.size() + busyPoolThreads, openFds() - FaultyUpstream.openSockets(), active, idle, endPoints,
                buffers, names);
    }

    private static long inUse(ByteBufferPool pool) {
        if (pool instanceof ArrayByteBufferPool array) {
            return array.getHeapByteBufferCount() - array.getAvailableHeapByteBufferCount()
                    + array.getDirectByteBufferCount() - array.getAvailableDirectByteBufferCount();
        }
        throw new AssertionError("not an ArrayByteBufferPool, cannot count its buffers: " + pool);
    }

    /**
     * Live threads, without the test's own and without the server pool's ({@code sluice-N}): an idle
     * pool thread is kept for a minute after a burst by design, so the pool counts by its busy threads.
     */
    static Set<String> threadsOutsideThePool() {
        Set<String> names = new java.util.TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && !t.getName().startsWith(TEST_THREADS) && !POOL_THREAD.matcher(t.getName()).matches()) {
                names.add(t.getName() + "#" + t.getId());
            }
        }
        return names;
    }

    private static final Pattern POOL_THREAD = Pattern.compile("sluice-\\d+");

    static int openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new AssertionError("cannot count /proc/self/fd", e);
        }
    }

    /**
     * True if nothing leaked since {@code before}: no more threads, no busy upstream connection, no
     * client end point left, no buffer still taken, and no more descriptors than the idle upstream
     * connections that were added to the pool (kept for reuse, closed by their idle timeout), two
     * each: the proxy's end and, a test backend running in this JVM, the backend's end.
     */
    boolean nothingLeakedSince(ResourceCensus before) {
        return threads <= before.threads && activeUpstream == 0 && clientEndPoints <= before.clientEndPoints
                && buffersInUse <= before.buffersInUse
                && fds <= before.fds + 2 * Math.max(0, idleUpstream - before.idleUpstream);
    }

    String delta(ResourceCensus before) {
        Set<String> added = new java.util.TreeSet<>(threadNames);
        added.removeAll(before.threadNames);
        return (added.isEmpty() ? "" : "new threads " + added + "; ") + "threads %+d, fds %+d, upstream connections active %d idle %+d, client end points %+d, buffers in use %+d"
                .formatted(threads - before.threads, fds - before.fds, activeUpstream, idleUpstream - before.idleUpstream,
                        clientEndPoints - before.clientEndPoints, buffersInUse - before.buffersInUse);
    }
}
