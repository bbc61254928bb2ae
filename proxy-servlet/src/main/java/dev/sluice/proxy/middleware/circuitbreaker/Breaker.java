package dev.sluice.proxy.middleware.circuitbreaker;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The circuit breaker's states, as in oxy's {@code cbreaker} (which Traefik uses):
 * <ul>
 *   <li>{@code CLOSED}: everything passes; after an answer, at most once per {@code checkPeriod},
 *   the expression is evaluated over the {@link ResultWindow}. A match trips the breaker.
 *   <li>{@code OPEN}: nothing passes for {@code fallbackDuration}; the window is cleared.
 *   <li>{@code RECOVERING}: for {@code recoveryDuration}, a share of requests passes that grows
 *   linearly: a request passes if the passed share would stay under
 *   {@code 0.5 × elapsed / recoveryDuration} (0.5 because once half pass, letting all pass is the
 *   way to keep that ratio). A match of the expression meanwhile opens it again; at the end it
 *   closes.
 * </ul>
 * The clock is injected ({@code System::nanoTime} in production) so tests can drive it.
 */
public final class Breaker {
    public enum State { CLOSED, OPEN, RECOVERING }

    private final Expression expression;
    private final long checkPeriod;
    private final long fallbackDuration;
    private final long recoveryDuration;
    private final LongSupplier clock;
    private final ResultWindow window;

    private State state = State.CLOSED;
    private long until;
    private long nextCheck;
    private long recoveryStart;
    private long allowed;
    private long denied;

    public Breaker(Expression expression, Duration checkPeriod, Duration fallbackDuration, Duration recoveryDuration, LongSupplier clock) {
        this.expression = expression;
        this.checkPeriod = checkPeriod.toNanos();
        this.fallbackDuration = fallbackDuration.toNanos();
        this.recoveryDuration = recoveryDuration.toNanos();
        this.clock = clock;
        this.window = new ResultWindow(expression.usesLatency(), clock);
        this.nextCheck = clock.getAsLong();
    }

    /** Whether this request may go on; false means answer with the fallback status. */
    public synchronized boolean allow() {
        long now = clock.getAsLong();
        if (state == State.OPEN) {
            if (now - until < 0) {
                return false;
            }
            state = State.RECOVERING;
            until = now + recoveryDuration;
            recoveryStart = now;
            allowed = 0;
            denied = 0;
        }
        if (state == State.RECOVERING) {
            if (now - until > 0) {
                state = State.CLOSED;
                return true;
            }
            double target = 0.5 * (now - recoveryStart) / recoveryDuration;
            if ((double) (allowed + 1) / (allowed + 1 + denied) < target) {
                allowed++;
                return true;
            }
            denied++;
            return false;
        }
        return true;
    }

    /** The outcome of a request that was allowed: its status as the client got it, and its duration. */
    public void record(int status, long latencyNanos) {
        window.record(status, latencyNanos);
        synchronized (this) {
            long now = clock.getAsLong();
            if (now - nextCheck < 0) {
                return;
            }
            nextCheck = now + checkPeriod;
            if (state == State.OPEN || !window.matches(expression)) {
                return;
            }
            state = State.OPEN;
            until = now + fallbackDuration;
            window.clear();
        }
    }

    public synchronized State state() {
        return state;
    }
}
