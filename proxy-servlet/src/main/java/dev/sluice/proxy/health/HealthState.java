package dev.sluice.proxy.health;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The health of one upstream, as active checks and real traffic see it. Up until an active check
 * fails or {@code maxFailedAttempts} consecutive requests fail (then down for one failure window).
 * Listeners hear every change, so balancers rebuild their selectors off the request path.
 *
 * <p>Races: {@link #recordFailure} may run on many threads at once. Only the thread whose increment
 * reaches the threshold opens the window, and it resets the counter, so one burst of failures opens
 * one window; a failure recorded just after the window closed starts a new count.
 */
public final class HealthState {
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile boolean activeUp = true;
    private volatile boolean passiveDown;
    private final LongAdder checksPassed = new LongAdder();
    private final LongAdder checksFailed = new LongAdder();
    private final LongAdder ejections = new LongAdder();

    public boolean isUp() {
        return activeUp && !passiveDown;
    }

    /**
     * Runs {@code listener} after every change of {@link #isUp()}, until the returned handle is
     * closed (a state outlives the snapshots that listen to it: a reload hands it to the next one).
     */
    public AutoCloseable onChange(Runnable listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** How many listeners are registered (a reload must leave one per live balancer, not one per snapshot ever built). */
    public int listenerCount() {
        return listeners.size();
    }

    /** Active checks are gone for this state (a reload removed them): only passive ejection still counts. */
    public void clearActive() {
        setActive(true);
    }

    /** One active check's result: counted (metrics read the counts), then applied. */
    public void checked(boolean up) {
        (up ? checksPassed : checksFailed).increment();
        setActive(up);
    }

    /** Active checks that found the server healthy, since this state exists (it survives reloads). */
    public long checksPassed() {
        return checksPassed.sum();
    }

    /** Active checks that found it unhealthy. */
    public long checksFailed() {
        return checksFailed.sum();
    }

    /** Times passive checks took it out of rotation. */
    public long ejections() {
        return ejections.sum();
    }

    /** The result of an active check, not counted (see {@link #checked}). */
    public void setActive(boolean up) {
        if (activeUp != up) {
            change(() -> activeUp = up);
        }
    }

    /** A real request succeeded: the failure count starts over. */
    public void recordSuccess() {
        if (consecutiveFailures.get() != 0) {
            consecutiveFailures.set(0);
        }
    }

    /** A real request failed; {@code policy} null means passive checks are off. */
    public void recordFailure(PassivePolicy policy, Scheduler scheduler) {
        if (policy == null || passiveDown) {
            return;
        }
        if (consecutiveFailures.incrementAndGet() == policy.maxFailedAttempts()) {
            consecutiveFailures.set(0);
            ejections.increment();
            change(() -> passiveDown = true);
            scheduler.schedule(() -> change(() -> passiveDown = false), policy.failureWindowMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Applies one change to the active or passive flag and tells the listeners if {@link #isUp()}
     * changed with it: an active check failing during a passive ejection (or the window closing
     * while the active check says down) is no change. Listeners run outside the lock; they read the
     * state again, so a late notification is harmless.
     */
    private void change(Runnable update) {
        boolean changed;
        synchronized (this) {
            boolean before = isUp();
            update.run();
            changed = isUp() != before;
        }
        if (changed) {
            fire();
        }
    }

    private void fire() {
        for (Runnable listener : listeners) {
            listener.run();
        }
    }

    /** Passive check settings: failures in a row that eject, and for how long. */
    public record PassivePolicy(int maxFailedAttempts, long failureWindowMillis) {}
}
