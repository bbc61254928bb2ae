package dev.sluice.proxy.balance;

/** What a balancing strategy needs to know of an upstream: its identity, weight and current load. */
public interface Endpoint {
    /** Relative share of traffic; 0 means "never pick" (see {@link #pickable()}). */
    int weight();

    /**
     * Whether a strategy may ever pick this endpoint: weight 0 takes it out of rotation. The one
     * place that rule is decided; selectors, sticky lookups and health reports all ask here.
     */
    default boolean pickable() {
        return weight() > 0;
    }

    /** Requests (or connections) in flight right now. */
    int inFlight();

    /** A stable identity (the URL), which hashing strategies hash: the same id lands the same keys. */
    default String id() {
        return toString();
    }

    /** Moving average of the time to first byte, in milliseconds; 0 when unknown (leasttime). */
    default double responseTimeMillis() {
        return 0;
    }
}
