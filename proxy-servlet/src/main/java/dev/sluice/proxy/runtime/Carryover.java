package dev.sluice.proxy.runtime;

import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one generation of the runtime hands to the next: live objects (a server's health and load,
 * a middleware with its buckets or cache, an upstream client with its pooled connections) keyed by
 * everything their behaviour depends on, so that a reload keeps each one whose configuration did
 * not change and builds the rest afresh.
 *
 * <p>One carryover serves one build: {@link #keep} takes the previous generation's object for a key,
 * or makes a new one. If the build fails, {@link #abandon()} closes what it made and the previous
 * generation is untouched; once it is committed, {@link #retirePrevious()} closes the objects of the
 * previous generation nobody took over, and {@link #next()} starts the following build. Values that are {@link AutoCloseable}
 * are closed that way; others are simply dropped.
 *
 * <p>Keys must have value equality over everything that decides the object's behaviour (records of
 * the configuration, plus the identity of shared objects it uses).
 */
public final class Carryover {
    private static final Logger LOG = LoggerFactory.getLogger(Carryover.class);

    private final Map<Object, Object> previous;
    private final Map<Object, Object> kept = new HashMap<>();
    private final Set<Object> created = Collections.newSetFromMap(new IdentityHashMap<>());

    private Carryover(Map<Object, Object> previous) {
        this.previous = previous;
    }

    /** The carryover of a first build: nothing to take over. */
    public static Carryover first() {
        return new Carryover(Map.of());
    }

    /** The previous generation's object for {@code key}, or {@code fresh}'s, which this build then owns. */
    @SuppressWarnings("unchecked")
    public synchronized <T> T keep(Object key, Supplier<T> fresh) {
        Object value = kept.get(key);
        if (value == null) {
            value = previous.get(key);
            if (value == null) {
                value = fresh.get();
                created.add(value);
            }
            kept.put(key, value);
        }
        return (T) value;
    }

    /** The build failed: closes what it created; the previous generation stays as it was. */
    public synchronized void abandon() {
        closeAll(List.copyOf(created));
    }

    /** The carryover of the build after this (committed) one: it may take over what this one kept. */
    public synchronized Carryover next() {
        return new Carryover(Map.copyOf(kept));
    }

    /** Once this build is committed: closes the previous generation's objects this build did not keep. */
    public synchronized void retirePrevious() {
        Set<Object> stillUsed = Collections.newSetFromMap(new IdentityHashMap<>());
        stillUsed.addAll(kept.values());
        closeAll(previous.values().stream().filter(v -> !stillUsed.contains(v)).toList());
    }

    /** Closes every object of this generation (the runtime stops). */
    public synchronized void closeKept() {
        closeAll(List.copyOf(kept.values()));
    }

    private static void closeAll(List<Object> values) {
        for (Object value : values) {
            if (value instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.warn("failed to close {}", value, e);
                }
            }
        }
    }
}
