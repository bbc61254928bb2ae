package dev.sluice.proxy.service;

import dev.sluice.proxy.config.middleware.StatusRanges;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A retry middleware's promise for one request, kept in its {@link Exchange}: when the proxy's try
 * fails before the request was sent upstream (a refused connection), or the upstream answers a
 * listed status (or fails in a way the proxy answers with a listed 502 or 504), and nothing reached
 * the client yet, the proxy sends the request again, after a
 * backoff, to a server the service picks anew. Failover replays ({@link Replay}) use the same path.
 * The body, if any, was read into memory once, so that each try sends it whole. Buffering's
 * {@code retryExpression} arms one too, with a {@link Condition} instead of a {@link Policy} and the
 * body that middleware already keeps.
 */
public final class Retries {
    /**
     * What the retry middleware was configured with.
     *
     * @param attempts tries in all, first included (more than 1)
     * @param statuses answers tried again, as ranges; empty for none
     * @param onNetworkError whether a failure before the request was sent is tried again
     * @param nonIdempotent whether POST, PATCH and LOCK are tried again on a listed status
     * @param initialIntervalNanos wait before the first retry; later ones grow to twice it
     * @param timeoutNanos no retry starts later than this after the first try; 0 = no limit
     * @param maxBody bodies up to this size are kept for retries (-1 = {@link KeptBody#MAX}); larger ones are sent once
     */
    public record Policy(int attempts, StatusRanges statuses, boolean onNetworkError, boolean nonIdempotent,
            long initialIntervalNanos, long timeoutNanos, long maxBody) {
    }

    /**
     * Buffering's {@code retryExpression} instead of a {@link Policy}: asked after each try that
     * did not reach the client whether to try again.
     */
    @FunctionalInterface
    public interface Condition {
        /**
         * @param attempts tries so far, the first included
         * @param status the upstream's status, or the 502/504 the proxy answers for a failure
         * @param networkError true when no answer came (a refused or reset connection, a timeout)
         */
        boolean retry(int attempts, int status, boolean networkError);
    }

    /** Most tries a {@link Condition} gets, whatever it says (Traefik's buffering stops at 10 too). */
    public static final int MAX_CONDITION_ATTEMPTS = 10;

    private final Policy policy;
    private final Condition condition;
    private final HttpService service;
    private final boolean onStatus;
    private final UnaryOperator<HttpServletRequest> replay;
    private final long start;
    private int attempt = 1;
    private boolean sent;

    private Retries(Policy policy, Condition condition, HttpService service, boolean onStatus,
            UnaryOperator<HttpServletRequest> replay, long start) {
        this.policy = policy;
        this.condition = condition;
        this.service = service;
        this.onStatus = onStatus;
        this.replay = replay;
        this.start = start;
    }

    /**
     * Arms retries for {@code request} in {@code exchange} and returns the request to pass on (its
     * body served from memory). Returns {@code request} untouched, with no retries, when nothing
     * could be retried (a POST with status retries only) or the body has no declared length or is
     * longer than the policy keeps: such a body is streamed once.
     */
    public static HttpServletRequest arm(Exchange exchange, HttpServletRequest request, Policy policy, HttpService service)
            throws IOException {
        boolean onStatus = !policy.statuses().isEmpty() && (policy.nonIdempotent() || idempotent(request.getMethod()));
        if (service == null || !(onStatus || policy.onNetworkError())) {
            return request;
        }
        byte[] body = null;
        if (KeptBody.present(request)) {
            long limit = KeptBody.cap(policy.maxBody());
            long length = request.getContentLengthLong();
            if (length < 0 || length > limit) {
                return request;
            }
            body = KeptBody.read(request, limit);
        }
        byte[] kept = body;
        Retries retries = new Retries(policy, null, service, onStatus,
                kept == null ? UnaryOperator.identity() : r -> new ReplayedBodyRequest(r, kept), System.nanoTime());
        exchange.retries(retries);
        return retries.request(request);
    }

    /**
     * Arms retries decided by {@code condition} (buffering's {@code retryExpression}) for a request
     * whose body the caller already keeps whole: {@code replay} makes the request a try sends, its
     * body from the start. Every method is tried again, with no backoff, at most
     * {@link #MAX_CONDITION_ATTEMPTS} times in all.
     */
    public static void arm(Exchange exchange, Condition condition, HttpService service, UnaryOperator<HttpServletRequest> replay) {
        if (service != null) {
            exchange.retries(new Retries(null, condition, service, true, replay, System.nanoTime()));
        }
    }

    /** Traefik's list: everything but POST, PATCH and LOCK may be sent twice. */
    private static boolean idempotent(String method) {
        return !("POST".equals(method) || "PATCH".equals(method) || "LOCK".equals(method));
    }

    /** The current try reached the upstream: a failure from now on is not retried. */
    public synchronized void sent() {
        sent = true;
    }

    /** True if an answer with {@code status} is to be tried again; the caller then calls {@link #retry}. */
    public synchronized boolean claimStatus(int status) {
        if (condition != null) {
            return claimCondition(status, false);
        }
        if (!onStatus || !left()) {
            return false;
        }
        if (policy.statuses().contains(status)) {
            attempt++;
            return true;
        }
        return false;
    }

    /** True if a failed try is to be tried again: it never reached the upstream. */
    public synchronized boolean claimFailure() {
        if (condition != null || !policy.onNetworkError() || sent || !left()) {
            return false;
        }
        attempt++;
        return true;
    }

    /**
     * True if a try that failed without an answer is to be tried again; {@code status} is what the
     * proxy would answer for it (502, 504), which a policy may list.
     */
    public synchronized boolean claimFailed(int status) {
        if (condition != null) {
            return claimCondition(status, true);
        }
        return claimFailure() || claimStatus(status);
    }

    private boolean claimCondition(int status, boolean networkError) {
        if (attempt >= MAX_CONDITION_ATTEMPTS || !condition.retry(attempt, status, networkError)) {
            return false;
        }
        attempt++;
        return true;
    }

    private boolean left() {
        return attempt < policy.attempts() && (policy.timeoutNanos() <= 0 || System.nanoTime() - start < policy.timeoutNanos());
    }

    /** The try about to start, 2 for the first retry. */
    public synchronized int attempt() {
        return attempt;
    }

    /**
     * The wait before the try about to start, as Traefik's exponential backoff without its jitter:
     * the initial interval, multiplied by {@code 2^(1/(attempts-1))} at each retry, so that the last
     * waits twice the first.
     */
    public synchronized long delayNanos() {
        int retry = attempt - 1;
        if (policy == null || policy.initialIntervalNanos() <= 0 || retry < 1) {
            return 0;
        }
        double multiplier = Math.pow(2, 1.0 / (policy.attempts() - 1));
        return (long) (policy.initialIntervalNanos() * Math.pow(multiplier, retry - 1));
    }

    /** Where the next try goes (the service picks again), and what it sends. */
    public synchronized HttpService.Target retry(HttpServletRequest request) {
        sent = false;
        return service.pick(request);
    }

    /** The request as the next try should see it: the kept body served again from its start. */
    public HttpServletRequest request(HttpServletRequest current) {
        return replay.apply(current);
    }
}
