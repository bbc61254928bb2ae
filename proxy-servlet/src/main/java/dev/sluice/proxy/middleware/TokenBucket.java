package dev.sluice.proxy.middleware;

/**
 * One source's token bucket, as Go's {@code rate.Limiter} reserves from it: it holds up to
 * {@code burst} tokens and gains {@code rate} per second; a request takes one. When none is left
 * the request would have to wait for the bucket to refill to one token; it may take that token in
 * advance (the bucket goes below zero) if the wait is short enough, else it takes nothing.
 */
final class TokenBucket {
    private final double tokensPerNano;
    private final double burst;
    private double tokens;
    private long last;

    TokenBucket(double tokensPerSecond, long burst, long now) {
        this.tokensPerNano = tokensPerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = now;
    }

    /**
     * How long the request must wait for its token, in nanoseconds (0: at once). The token is taken
     * only if that is at most {@code maxWait}; otherwise the bucket is left as it was.
     */
    synchronized long reserve(long now, long maxWait) {
        if (now - last > 0) {
            tokens = Math.min(burst, tokens + (now - last) * tokensPerNano);
            last = now;
        }
        double after = tokens - 1;
        long wait = after >= 0 ? 0 : (long) Math.ceil(-after / tokensPerNano);
        if (wait <= maxWait) {
            tokens = after;
        }
        return wait;
    }
}
