package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.Problems;
import dev.sluice.proxy.middleware.RetryExpression;
import dev.sluice.proxy.middleware.circuitbreaker.Expression;

/**
 * {@code buffering}: reads whole request bodies before forwarding them (with a fixed length) and
 * whole responses before sending them. {@code max*} limits (0 = none) answer 413 for requests and
 * 500 for responses; beyond {@code mem*} bytes (1 MiB) a body is kept in a temporary file.
 * {@code retryExpression} (e.g. {@code IsNetworkError() && Attempts() < 2}) sends the request, its
 * kept body included, again to a server the load balancer picks anew while it holds, through the
 * retry middleware's path: {@code Attempts()} counts the tries so far (the first is 1),
 * {@code ResponseCode()} is the upstream's status (or the 502/504 answered for a failure),
 * {@code IsNetworkError()} is true when no answer came; {@code && || !}, comparisons
 * {@code == != < <= > >=} and parentheses combine them, as in the circuit breaker's expression.
 * At most 10 tries in all, with no backoff; a bad expression is a config error naming its column.
 */
public record BufferingConfig(Long maxRequestBodyBytes, Long memRequestBodyBytes, Long maxResponseBodyBytes,
        Long memResponseBodyBytes, String retryExpression) implements MiddlewareOptions {
    public static final long DEFAULT_MEM_BYTES = 1024 * 1024;

    public BufferingConfig {
        maxRequestBodyBytes = maxRequestBodyBytes == null ? 0 : maxRequestBodyBytes;
        memRequestBodyBytes = memRequestBodyBytes == null ? DEFAULT_MEM_BYTES : memRequestBodyBytes;
        maxResponseBodyBytes = maxResponseBodyBytes == null ? 0 : maxResponseBodyBytes;
        memResponseBodyBytes = memResponseBodyBytes == null ? DEFAULT_MEM_BYTES : memResponseBodyBytes;
        retryExpression = retryExpression == null || retryExpression.isBlank() ? null : retryExpression;
    }

    @Override
    public void validate(String path, Problems problems, HttpConfig http) {
        notNegative(path + ".maxRequestBodyBytes", maxRequestBodyBytes, problems);
        notNegative(path + ".memRequestBodyBytes", memRequestBodyBytes, problems);
        notNegative(path + ".maxResponseBodyBytes", maxResponseBodyBytes, problems);
        notNegative(path + ".memResponseBodyBytes", memResponseBodyBytes, problems);
        if (retryExpression != null) {
            try {
                RetryExpression.parse(retryExpression);
            } catch (Expression.ExpressionException e) {
                problems.add(path + ".retryExpression", e.getMessage());
            }
        }
    }

    private static void notNegative(String path, long value, Problems problems) {
        if (value < 0) {
            problems.add(path, "must be 0 or more, got " + value);
        }
    }
}
