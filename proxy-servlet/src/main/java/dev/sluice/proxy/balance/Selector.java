package dev.sluice.proxy.balance;

/** Picks one endpoint of a fixed group for each request. Thread-safe and lock-free on the hot path. */
@FunctionalInterface
public interface Selector<T extends Endpoint> {
    /** The chosen endpoint, or {@code null} when the group has none that may be picked. */
    T select();
}
