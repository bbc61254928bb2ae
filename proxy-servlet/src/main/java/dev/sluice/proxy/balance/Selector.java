package dev.sluice.proxy.balance;

/** Picks one endpoint of a fixed group for each request. Thread-safe and lock-free on the hot path. */
@FunctionalInterface
public interface Selector<T extends Endpoint> {
    /**
     * The chosen endpoint, or {@code null} when the group has none that may be picked.
     *
     * @param key the request's hash key (client IP for {@code hrw}, the configured key for
     *     {@code hash}); ignored by the other strategies, and may be null
     */
    T select(String key);

    /**
     * What {@link #select} would choose now, without moving the selector on: round-robin tables and
     * rotations stay where they are (the route explainer asks). Random strategies draw, which moves
     * nothing either.
     */
    default T peek(String key) {
        return select(key);
    }

    /** For strategies that use no key. */
    default T select() {
        return select(null);
    }
}
