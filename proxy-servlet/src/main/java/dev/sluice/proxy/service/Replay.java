package dev.sluice.proxy.service;

import jakarta.servlet.http.HttpServletRequest;
import dev.sluice.proxy.config.middleware.StatusRanges;

/**
 * A failover's promise for one request: if the main service answers one of {@code statuses}, the
 * request goes to {@code fallback} instead, before anything reached the client. The body, if any,
 * was read into memory so that it can be sent twice.
 */
public final class Replay {
    private final StatusRanges statuses;
    private final HttpService fallback;
    private final byte[] body;
    private boolean used;

    Replay(StatusRanges statuses, HttpService fallback, byte[] body) {
        this.statuses = statuses;
        this.fallback = fallback;
        this.body = body;
    }

    /** True once, when {@code status} is listed: the caller then replays on {@link #fallback()}. */
    public synchronized boolean claim(int status) {
        if (used) {
            return false;
        }
        if (statuses.contains(status)) {
            used = true;
            return true;
        }
        return false;
    }

    public HttpService fallback() {
        return fallback;
    }

    /** The request as the fallback should see it: the buffered body served again, if there was one. */
    public HttpServletRequest request(HttpServletRequest original) {
        return body == null ? original : new ReplayedBodyRequest(original, body);
    }
}
