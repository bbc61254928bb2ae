package dev.sluice.relay;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One selector thread that runs every channel of the relay: accepts, connects, reads, writes and
 * timers. Everything a handler does happens on this thread, so sessions need no locks; other
 * threads hand work over with {@link #execute(Runnable)}.
 */
final class Reactor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Reactor.class);

    /** What a selection key is attached to. */
    interface Handler {
        void ready(SelectionKey key) throws IOException;

        /** Called when {@link #ready} throws or the reactor stops: release everything. */
        void fail(Throwable cause);
    }

    /** A scheduled action; {@link #cancel()} makes it a no-op. Reactor thread only. */
    static final class Timer implements Comparable<Timer> {
        final long deadline;
        final Runnable action;
        private final Reactor owner;
        /** Cancelled, or already run. */
        boolean cancelled;

        Timer(long deadline, Runnable action, Reactor owner) {
            this.deadline = deadline;
            this.action = action;
            this.owner = owner;
        }

        void cancel() {
            if (!cancelled) {
                cancelled = true;
                owner.timerCancelled();
            }
        }

        @Override
        public int compareTo(Timer o) {
            return Long.compare(deadline, o.deadline);
        }
    }

    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    /** Cancelled timers still in {@link #timers} (about: see {@link #timerCancelled()}). */
    private int cancelledTimers;
    /** Channels whose keys were cancelled, closed once the next select has deregistered them. */
    private List<SelectableChannel> closing = new ArrayList<>();
    private volatile boolean running = true;
    private final Consumer<SelectionKey> dispatcher = this::dispatch;

    Reactor(String name) throws IOException {
        selector = Selector.open();
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    boolean inReactor() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on the reactor thread (now, if already on it). */
    void execute(Runnable task) {
        if (inReactor()) {
            task.run();
        } else {
            tasks.add(task);
            selector.wakeup();
        }
    }

    /** Reactor thread only. */
    Timer schedule(long delayMillis, Runnable action) {
        Timer timer = new Timer(System.nanoTime() / 1_000_000 + delayMillis, action, this);
        timers.add(timer);
        return timer;
    }

    /**
     * A cancelled timer stays queued until its deadline; every connection cancels an idle timer
     * (minutes long) and a connect timer, and with one long-lived timer at the head of the queue
     * nothing behind it would be dropped: under a high connection rate the queue, and the sessions
     * its actions hold, would grow for minutes. So once most of the queue is cancelled timers, they
     * are removed in one pass (linear, so amortised constant per cancel).
     */
    private void timerCancelled() {
        if (++cancelledTimers > 1024 && cancelledTimers > timers.size() / 2) {
            timers.removeIf(t -> t.cancelled);
            cancelledTimers = 0;
        }
    }

    /** Timers queued, cancelled ones included (for tests). */
    int queuedTimers() {
        return timers.size();
    }

    /**
     * Closes {@code channel} after the next select has dropped {@code key} from the selector.
     * Reactor thread only. Why: the JDK closes a channel that is still registered by asking for its
     * SO_LINGER and shutting its output down first (two more system calls per socket); a channel the
     * selector has let go of is closed with close() alone, which sends the same FIN (or a reset if
     * unread bytes are left, as any close would).
     */
    void closeAfterDeregistration(SelectableChannel channel, SelectionKey key) {
        if (channel == null) {
            return;
        }
        if (key == null || !running) {
            closeQuietly(channel);
            return;
        }
        key.cancel();
        closing.add(channel);
    }

    private static void closeQuietly(SelectableChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Reactor thread only. */
    SelectionKey register(SelectableChannel channel, int ops, Handler handler) throws IOException {
        channel.configureBlocking(false);
        return channel.register(selector, ops, handler);
    }

    private void run() {
        while (running) {
            try {
                for (Runnable task; (task = tasks.poll()) != null; ) {
                    task.run();
                }
                long wait = runTimers();
                // Channels queued for closing before this select are deregistered by it.
                List<SelectableChannel> deregistering = closing;
                if (!deregistering.isEmpty()) {
                    closing = new ArrayList<>();
                }
                // The Consumer forms of select keep no selected-key set (no hashing or allocation
                // per ready key). A task added from now on wakes the select up.
                if (tasks.isEmpty() && deregistering.isEmpty()) {
                    selector.select(dispatcher, wait);
                } else {
                    selector.selectNow(dispatcher);
                }
                if (deregistering != closing) {
                    deregistering.forEach(Reactor::closeQuietly);
                }
            } catch (Throwable t) {
                LOG.error("relay loop failed", t);
            }
        }
        for (SelectionKey key : selector.keys()) {
            try {
                ((Handler) key.attachment()).fail(new IOException("relay stopped"));
            } catch (RuntimeException ignored) {
                // closing everything anyway
            }
        }
        closing.forEach(Reactor::closeQuietly);
        closing.clear();
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    private void dispatch(SelectionKey key) {
        Handler handler = (Handler) key.attachment();
        try {
            if (key.isValid()) {
                handler.ready(key);
            }
        } catch (CancelledKeyException | IOException e) {
            handler.fail(e);
        } catch (RuntimeException e) {
            LOG.warn("relay handler failed", e);
            handler.fail(e);
        }
    }

    /** Runs due timers; returns how long select may block (0 = forever). */
    private long runTimers() {
        long now = System.nanoTime() / 1_000_000;
        Timer timer;
        while ((timer = timers.peek()) != null && (timer.cancelled || timer.deadline <= now)) {
            timers.poll();
            if (timer.cancelled) {
                cancelledTimers = Math.max(0, cancelledTimers - 1);
            } else {
                timer.cancelled = true; // run: a later cancel() is a no-op
                try {
                    timer.action.run();
                } catch (RuntimeException e) {
                    LOG.warn("relay timer failed", e);
                }
            }
        }
        return timer == null ? 0 : Math.max(1, timer.deadline - now);
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        if (!inReactor()) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
