package dev.sluice.proxy.runtime;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many configurations were applied and rejected, and when last: what the metrics
 * ({@code config_reloads_total}, {@code config_last_reload_success}) and the API report. The first
 * configuration counts as applied, as in Traefik. Rejections are told by whoever loads
 * configurations ({@link ConfigWatcher}: a file that does not parse, a configuration that does not
 * validate or cannot be applied), with their problems: the last {@value #KEPT} are kept for the
 * API's {@code /api/reloads} and the dashboard.
 */
public final class ReloadHistory {
    /** How many rejections {@link #recentRejections()} keeps: enough to see a pattern, bounded memory. */
    public static final int KEPT = 10;

    /** One refused configuration: when, and every problem with its key path. */
    public record Rejection(Instant time, List<String> problems) {
        public Rejection {
            problems = List.copyOf(problems);
        }
    }

    private final Clock clock;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile long lastAppliedMillis;
    private volatile long lastRejectedMillis;
    private final Deque<Rejection> recent = new ArrayDeque<>();
    private volatile java.util.function.Consumer<List<String>> onRejected = problems -> {};

    public ReloadHistory(Clock clock) {
        this.clock = clock;
    }

    /** A configuration now serves. */
    public void applied() {
        lastAppliedMillis = clock.millis();
        applied.incrementAndGet();
    }

    /** A configuration was refused; the previous one keeps serving. */
    public void rejected() {
        rejected(List.of());
    }

    /** A configuration was refused for {@code problems} (key path first); the previous one keeps serving. */
    public void rejected(List<String> problems) {
        long now = clock.millis();
        lastRejectedMillis = now;
        rejected.incrementAndGet();
        synchronized (recent) { // a reload is rare: a lock is simpler than a lock-free ring
            if (recent.size() == KEPT) {
                recent.removeFirst();
            }
            recent.addLast(new Rejection(Instant.ofEpochMilli(now), problems));
        }
        onRejected.accept(problems);
    }

    /** The last {@value #KEPT} rejections at most, oldest first. */
    public List<Rejection> recentRejections() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    /** Who hears of each rejection and its problems (the {@code config.rejected} event); one listener, set once. */
    public void onRejected(java.util.function.Consumer<List<String>> listener) {
        onRejected = listener;
    }

    /** Configurations applied, the first one included. */
    public long appliedCount() {
        return applied.get();
    }

    public long rejectedCount() {
        return rejected.get();
    }

    /** Wall-clock time of the last applied configuration, 0 before the first. */
    public long lastAppliedMillis() {
        return lastAppliedMillis;
    }

    /** Wall-clock time of the last rejection, 0 if there was none. */
    public long lastRejectedMillis() {
        return lastRejectedMillis;
    }
}
