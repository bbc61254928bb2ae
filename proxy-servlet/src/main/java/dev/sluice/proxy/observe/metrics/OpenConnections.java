package dev.sluice.proxy.observe.metrics;

/**
 * Where {@code open_connections} comes from: whoever owns listeners (the standalone server's
 * connectors, the relay) reports its counts when the metrics are scraped.
 */
@FunctionalInterface
public interface OpenConnections {
    /** Tells {@code sink} the connections open now on each entry point. */
    void report(Sink sink);

    /** Takes one count. */
    @FunctionalInterface
    interface Sink {
        /** @param protocol {@code TCP} or {@code UDP}, as Traefik labels them (an HTTP entry point is TCP) */
        void open(String entryPoint, String protocol, long count);
    }
}
