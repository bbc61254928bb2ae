package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.Problems;
import java.time.Duration;
import java.util.List;

/**
 * {@code retry}: up to {@code attempts} tries of a request, each on a server the load balancer
 * picks anew, as long as nothing reached the client: after a network error before the request was
 * sent (unless {@code disableRetryOnNetworkError}), or an answer whose status is in {@code status}
 * (for POST, PATCH and LOCK only with {@code retryNonIdempotentMethod}). Tries are
 * {@code initialInterval} apart, growing to twice that by the last; none starts after
 * {@code timeout}. Bodies are kept in memory for the tries up to {@code maxRequestBodyBytes}
 * (2 MiB; -1 for no limit); larger ones are sent once.
 */
public record RetryConfig(Integer attempts, Duration initialInterval, Duration timeout, Long maxRequestBodyBytes,
        List<String> status, Boolean disableRetryOnNetworkError, Boolean retryNonIdempotentMethod) implements MiddlewareOptions {
    public RetryConfig {
        attempts = attempts == null ? 0 : attempts;
        initialInterval = initialInterval == null ? Duration.ZERO : initialInterval;
        timeout = timeout == null ? Duration.ZERO : timeout;
        maxRequestBodyBytes = maxRequestBodyBytes == null ? 2L * 1024 * 1024 : maxRequestBodyBytes;
        status = status == null ? List.of() : List.copyOf(status);
        disableRetryOnNetworkError = disableRetryOnNetworkError != null && disableRetryOnNetworkError;
        retryNonIdempotentMethod = retryNonIdempotentMethod != null && retryNonIdempotentMethod;
    }

    @Override
    public void validate(String path, Problems problems, HttpConfig http) {
        if (attempts <= 0) {
            problems.add(path + ".attempts", "required, 1 or more (the number of tries), got " + attempts);
        }
        if (initialInterval.isNegative()) {
            problems.add(path + ".initialInterval", "must not be negative");
        }
        if (timeout.isNegative()) {
            problems.add(path + ".timeout", "must not be negative");
        }
        if (maxRequestBodyBytes < -1) {
            problems.add(path + ".maxRequestBodyBytes", "must be -1 (no limit) or more, got " + maxRequestBodyBytes);
        }
        for (int i = 0; i < status.size(); i++) {
            if (!StatusRanges.isValid(status.get(i))) {
                problems.add(path + ".status[" + i + "]", "expected a status or a range like \"500-504\", got \"" + status.get(i) + "\"");
            }
        }
        if (disableRetryOnNetworkError && status.isEmpty()) {
            problems.add(path + ".status", "required when disableRetryOnNetworkError is set: nothing would be retried");
        }
    }
}
