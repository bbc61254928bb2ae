package dev.sluice.proxy.observe.accesslog;

import dev.sluice.proxy.config.AccessLogConfig;
import dev.sluice.proxy.config.middleware.StatusRanges;

/** {@code accessLog.filters}, compiled: a line is kept when any set filter matches (Traefik's rule), or when none is set. */
final class AccessLogFilter {
    private final boolean keepsAll;
    private final StatusRanges statuses;
    private final boolean retried;
    private final long minNanos;

    AccessLogFilter(AccessLogConfig.Filters filters) {
        keepsAll = filters.keepsAll();
        statuses = StatusRanges.parse(filters.statusCodes());
        retried = filters.retryAttempts();
        minNanos = filters.minDuration().toNanos();
    }

    /** For an exchange; a session passes {@code status} -1 and no retries: only {@code minDuration} can keep it. */
    boolean keeps(int status, int retryAttempts, long durationNanos) {
        return keepsAll || (status > 0 && !statuses.isEmpty() && statuses.contains(status)) || (retried && retryAttempts > 0)
                || (minNanos > 0 && durationNanos > minNanos);
    }
}
