package dev.sluice.proxy.runtime;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many configurations were applied and rejected, and when last: what the metrics
 * ({@code config_reloads_total}, {@code config_last_reload_success}) and the API report. The first
 * configuration counts as applied, as in Traefik. Rejections are told by whoever loads
 * configurations ({@link ConfigWatcher}: a file that does not parse, a configuration that does not
 * validate or cannot be applied).
 */
public final class ReloadHistory {
    private final Clock clock;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile long lastAppliedMillis;
    private volatile long lastRejectedMillis;
    private volatile java.util.function.Consumer<java.util.List<String>> onRejected = problems -> {};

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
        rejected(java.util.List.of());
    }

    /** A configuration was refused for these {@code problems} (key path first); the previous one keeps serving. */
    public void rejected(java.util.List<String> problems) {
        lastRejectedMillis = clock.millis();
        rejected.incrementAndGet();
        onRejected.accept(problems);
    }

    /** Who hears of each rejection and its problems (the {@code config.rejected} event); one listener, set once. */
    public void onRejected(java.util.function.Consumer<java.util.List<String>> listener) {
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
