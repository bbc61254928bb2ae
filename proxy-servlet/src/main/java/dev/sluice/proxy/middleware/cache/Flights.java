package dev.sluice.proxy.middleware.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The stampede lock: while one request for a key is upstream (its flight), the others wait for it
 * to land instead of going upstream too, each at most {@code lock}, without holding a thread.
 *
 * <p>Races: a waiter that joins after the flight landed runs at once; a waiter resumed by the
 * landing and by its timer runs once (whichever comes first); a flight is removed only by its own
 * leader, so a late landing cannot remove a newer flight of the same key.
 */
final class Flights {
    private final ConcurrentHashMap<String, Flight> flying = new ConcurrentHashMap<>();
    private final Scheduler scheduler;
    private final Duration lock;

    Flights(Scheduler scheduler, Duration lock) {
        this.scheduler = scheduler;
        this.lock = lock;
    }

    /** Null when locking is off; otherwise the flight to lead (if {@link Flight#leads}) or to wait for. */
    Flight board(String key) {
        if (lock.isZero()) {
            return null;
        }
        Flight mine = new Flight(key, true);
        Flight current = flying.putIfAbsent(key, mine);
        return current == null ? mine : new Flight(current);
    }

    /** One request's place in a flight: the leader's, or a waiter's view of someone else's. */
    final class Flight {
        private final String key;
        private final boolean leads;
        private final Flight shared;
        private final List<Runnable> waiters = new ArrayList<>();
        private boolean landed;

        private Flight(String key, boolean leads) {
            this.key = key;
            this.leads = leads;
            this.shared = this;
        }

        private Flight(Flight leader) {
            this.key = leader.key;
            this.leads = false;
            this.shared = leader;
        }

        boolean leads() {
            return leads;
        }

        /** Runs {@code resume} once: when the leader lands, or after {@code lock}, whichever is first. */
        void await(Runnable resume) {
            AtomicBoolean once = new AtomicBoolean();
            Runnable guarded = () -> {
                if (once.compareAndSet(false, true)) {
                    resume.run();
                }
            };
            synchronized (shared) {
                if (!shared.landed) {
                    shared.waiters.add(guarded);
                    scheduler.schedule(guarded, lock.toMillis(), TimeUnit.MILLISECONDS);
                    return;
                }
            }
            guarded.run();
        }

        /** The leader is done (stored or not): the waiters look again. Idempotent. */
        void land() {
            if (!leads) {
                return;
            }
            List<Runnable> resumed;
            synchronized (this) {
                if (landed) {
                    return;
                }
                landed = true;
                resumed = List.copyOf(waiters);
                waiters.clear();
            }
            flying.remove(key, this);
            resumed.forEach(Runnable::run);
        }
    }
}
