package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.Problems;

/**
 * {@code buffering}: reads whole request bodies before forwarding them (with a fixed length) and
 * whole responses before sending them. {@code max*} limits (0 = none) answer 413 for requests and
 * 500 for responses; beyond {@code mem*} bytes (1 MiB) a body is kept in a temporary file.
 * {@code retryExpression} is not supported yet.
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
            problems.add(path + ".retryExpression", "not supported yet (remove it, or use the retry middleware)");
        }
    }

    private static void notNegative(String path, long value, Problems problems) {
        if (value < 0) {
            problems.add(path, "must be 0 or more, got " + value);
        }
    }
}
