package dev.sluice.proxy.balance;

/** What a balancing strategy needs to know of an upstream: its weight and its current load. */
public interface Endpoint {
    /** Relative share of traffic; 0 means "never pick". */
    int weight();

    /** Requests (or connections) in flight right now. */
    int inFlight();
}
