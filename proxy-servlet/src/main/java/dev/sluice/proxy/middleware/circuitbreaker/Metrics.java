package dev.sluice.proxy.middleware.circuitbreaker;

/** What a circuit breaker expression can ask about the recent results (Traefik's functions). */
public interface Metrics {
    /** Share of answers that were 502 or 504 (the proxy's words for a network error); 0 with none. */
    double networkErrorRatio();

    /** Answers in [from, to) divided by answers in [divFrom, divTo); 0 when the divisor is 0. */
    double responseCodeRatio(int from, int to, int divFrom, int divTo);

    /** Latency in milliseconds below which {@code percent}% of the answers came. */
    double latencyAtQuantileMs(double percent);

    /** Number of answers in the window. */
    long requests();
}
