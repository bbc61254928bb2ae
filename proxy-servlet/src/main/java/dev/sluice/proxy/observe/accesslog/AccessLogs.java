package dev.sluice.proxy.observe.accesslog;

import dev.sluice.proxy.config.AccessLogConfig;
import dev.sluice.proxy.observe.ExchangeObserver;
import dev.sluice.proxy.observe.Session;
import dev.sluice.proxy.observe.SessionObserver;
import dev.sluice.proxy.service.Exchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log of one Sluice instance, across configuration reloads: an observer of every
 * exchange and relay session, and one writer thread.
 *
 * <p>An exchange's line is filtered and formatted on the thread that ended it (its request can
 * only be read there), then queued; a session's is formatted by the writer (its facts are
 * immutable). The writer appends lines in batches and flushes when the queue is empty. The queue
 * holds at most {@code bufferingSize} lines: when it is full, a line is dropped and counted
 * ({@link #dropped()}), the request never waits. {@link #reopen()} (on {@code SIGUSR1}) has the
 * writer reopen the file by its name, for logrotate. {@link #close()} writes what is queued, then
 * closes the file.
 *
 * <p>A reload with a changed {@code [accessLog]} swaps the settings atomically ({@link #prepare},
 * then {@link Change#commit()}); a changed {@code filePath} opens the new file when preparing (a
 * file that cannot be opened fails the reload) and the old one is closed by the writer once the
 * lines queued before the swap are written. A line formatted for the old file that is queued after
 * it closed goes to the new one: no line is lost to a reload.
 *
 * <pre>
 * AccessLogs logs = new AccessLogs();
 * runtime.observers().add(logs);
 * logs.prepare(config.accessLog()).commit();
 * </pre>
 */
public final class AccessLogs implements ExchangeObserver, SessionObserver, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AccessLogs.class);
    /** Longest wait for the writer to write what is queued when closing. */
    private static final long CLOSE_WAIT_SECONDS = 10;
    private static final ThreadLocal<StringBuilder> LINES = ThreadLocal.withInitial(() -> new StringBuilder(512));

    /** One configuration, compiled. */
    private record Active(AccessLogConfig config, LineFormat format, AccessLogFilter filter, Sink sink, int capacity) {}

    /** A queued line (or a session to format), or an instruction for the writer. */
    private record Entry(Active log, String line, Session session, Sink retire) {
        static final Entry WAKE = new Entry(null, null, null, null);
        static final Entry STOP = new Entry(null, null, null, null);
    }

    /** A prepared change of settings: exactly one of {@link #commit()} or {@link #abandon()}. */
    public interface Change {
        void commit();

        void abandon();
    }

    private static final Change NO_CHANGE = new Change() {
        @Override
        public void commit() {}

        @Override
        public void abandon() {}
    };

    private final LinkedBlockingQueue<Entry> queue = new LinkedBlockingQueue<>();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicLong count = new AtomicLong();
    private volatile Active current;
    private volatile boolean reopen;
    /** Guarded by {@code this}. */
    private Thread writer;
    private boolean closed;

    /**
     * Prepares serving {@code next} ({@code null}: no access log): opens its file if it names
     * another one than the current. Nothing changes until {@link Change#commit()}.
     *
     * @throws IOException when the file cannot be opened (the current settings keep serving)
     */
    public synchronized Change prepare(AccessLogConfig next) throws IOException {
        Active now = current;
        if (Objects.equals(next, now == null ? null : now.config())) {
            return NO_CHANGE;
        }
        boolean sameFile = now != null && next != null && Objects.equals(now.sink().path, next.filePath());
        Sink sink = next == null ? null : sameFile ? now.sink() : Sink.open(next.filePath());
        Active prepared = next == null ? null
                : new Active(next, LineFormat.of(next), new AccessLogFilter(next.filters()), sink, next.queueCapacity());
        return new Change() {
            @Override
            public void commit() {
                swap(prepared);
            }

            @Override
            public void abandon() {
                if (sink != null && !sameFile) {
                    closeQuietly(sink);
                }
            }
        };
    }

    private synchronized void swap(Active next) {
        Active previous = current;
        if (next != null && writer == null && !closed) {
            writer = new Thread(this::write, "sluice-access-log");
            writer.setDaemon(true);
            writer.start();
        }
        current = next;
        if (previous != null && (next == null || previous.sink() != next.sink())) {
            queue.add(new Entry(null, null, null, previous.sink())); // closed once what was queued before is written
        }
        if (next != null) {
            LOG.info("access log: {} to {}", next.config().format(), next.sink());
        }
    }

    @Override
    public void ended(Exchange exchange) {
        Active log = current;
        if (log == null) {
            return;
        }
        long n = count.incrementAndGet();
        String service = exchange.service();
        if (service != null && service.endsWith("@internal") && !log.config().addInternals()) {
            return; // Traefik's default: the API, the dashboard and ping are not logged
        }
        if (!log.filter().keeps(exchange.status(), exchange.retryAttempts(), exchange.durationNanos())) {
            return;
        }
        if (queue.size() >= log.capacity()) {
            dropped.increment();
            return;
        }
        StringBuilder line = LINES.get();
        line.setLength(0);
        log.format().exchange(exchange, n, line);
        queue.add(new Entry(log, line.toString(), null, null));
        if (line.capacity() > 16 * 1024) {
            LINES.remove(); // one huge line must not pin a huge buffer to the thread
        }
    }

    @Override
    public void ended(Session session) {
        Active log = current;
        if (log == null || !log.filter().keeps(-1, 0, session.durationNanos())) {
            return;
        }
        if (queue.size() >= log.capacity()) {
            dropped.increment();
            return;
        }
        queue.add(new Entry(log, null, session, null));
    }

    /** Lines dropped because the writer could not keep up, since the start (for metrics). */
    public long dropped() {
        return dropped.sum();
    }

    /** Lines the writer could not write (the file failed), since the start. */
    public long failed() {
        return failed.sum();
    }

    /** Has the writer close and reopen the file by its name (logrotate's {@code postrotate} sends SIGUSR1). */
    public void reopen() {
        reopen = true;
        queue.add(Entry.WAKE);
    }

    /** Writes what is queued (waiting up to {@value #CLOSE_WAIT_SECONDS}s), closes the file and stops the writer. */
    @Override
    public void close() {
        Thread stopping;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            stopping = writer;
        }
        if (stopping == null) {
            return;
        }
        queue.add(Entry.STOP);
        try {
            stopping.join(TimeUnit.SECONDS.toMillis(CLOSE_WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stopping.isAlive()) {
            LOG.warn("access log: the writer did not finish within {}s; {} lines not written", CLOSE_WAIT_SECONDS, queue.size());
            stopping.interrupt();
        }
    }

    /** The writer thread. */
    private void write() {
        List<Entry> batch = new ArrayList<>(256);
        List<Sink> dirty = new ArrayList<>(2);
        StringBuilder line = new StringBuilder(512);
        boolean stopping = false;
        while (!stopping || !queue.isEmpty()) {
            try {
                Entry first = queue.poll(1, TimeUnit.SECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, 1023);
                }
            } catch (InterruptedException e) {
                break;
            }
            for (Entry entry : batch) {
                if (entry == Entry.STOP) {
                    stopping = true;
                } else if (entry.retire() != null) {
                    dirty.remove(entry.retire());
                    closeQuietly(entry.retire());
                } else if (entry.log() != null) {
                    writeOne(entry, line, dirty);
                }
            }
            batch.clear();
            if (queue.isEmpty() || dirty.size() > 1) {
                for (Sink sink : dirty) {
                    try {
                        sink.flush();
                    } catch (IOException e) {
                        writeFailed(sink, e);
                    }
                }
                dirty.clear();
            }
            if (reopen) {
                reopen = false;
                reopenCurrent();
            }
        }
        Active last = current;
        if (last != null) {
            closeQuietly(last.sink());
        }
    }

    private void writeOne(Entry entry, StringBuilder line, List<Sink> dirty) {
        String text = entry.line();
        if (text == null) {
            line.setLength(0);
            entry.log().format().session(entry.session(), count.incrementAndGet(), line);
            text = line.toString();
        }
        Sink sink = entry.log().sink();
        if (sink.isClosed()) {
            // Formatted for a file a reload closed since: the current file gets it.
            Active now = current;
            if (now == null) {
                dropped.increment();
                return;
            }
            sink = now.sink();
        }
        try {
            sink.write((text + '\n').getBytes(StandardCharsets.UTF_8));
            if (!dirty.contains(sink)) {
                dirty.add(sink);
            }
        } catch (IOException e) {
            writeFailed(sink, e);
        }
    }

    private void reopenCurrent() {
        Active now = current;
        if (now == null) {
            return;
        }
        try {
            now.sink().reopen();
            LOG.info("access log: {} reopened", now.sink());
        } catch (IOException e) {
            LOG.error("access log: cannot reopen {}: {}", now.sink(), e.toString());
        }
    }

    private long lastFailureLog;

    private void writeFailed(Sink sink, IOException e) {
        failed.increment();
        long now = System.nanoTime();
        if (lastFailureLog == 0 || now - lastFailureLog > 60_000_000_000L) {
            lastFailureLog = now;
            LOG.error("access log: cannot write to {}: {}", sink, e.toString());
        }
    }

    private static void closeQuietly(Sink sink) {
        try {
            sink.close();
        } catch (IOException e) {
            LOG.warn("access log: closing {} failed: {}", sink, e.toString());
        }
    }
}
