package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.Problems;
import dev.sluice.proxy.middleware.circuitbreaker.Expression;
import java.time.Duration;

/**
 * {@code circuitBreaker}: while {@code expression} holds over the recent answers (checked at most
 * every {@code checkPeriod}, 100 ms), requests get {@code responseCode} (503) for
 * {@code fallbackDuration} (10 s), then traffic returns gradually over {@code recoveryDuration} (10 s).
 */
public record CircuitBreakerConfig(String expression, Duration checkPeriod, Duration fallbackDuration, Duration recoveryDuration,
        Integer responseCode) implements MiddlewareOptions {
    public CircuitBreakerConfig {
        checkPeriod = positiveOr(checkPeriod, Duration.ofMillis(100));
        fallbackDuration = positiveOr(fallbackDuration, Duration.ofSeconds(10));
        recoveryDuration = positiveOr(recoveryDuration, Duration.ofSeconds(10));
        responseCode = responseCode == null || responseCode == 0 ? 503 : responseCode;
    }

    /** As Traefik: a zero or negative duration means the default. */
    private static Duration positiveOr(Duration d, Duration fallback) {
        return d == null || d.isZero() || d.isNegative() ? fallback : d;
    }

    @Override
    public void validate(String path, Problems problems, HttpConfig http) {
        try {
            Expression.parse(expression);
        } catch (Expression.ExpressionException e) {
            problems.add(path + ".expression", e.getMessage());
        }
        if (responseCode < 100 || responseCode > 599) {
            problems.add(path + ".responseCode", "must be an HTTP status between 100 and 599, got " + responseCode);
        }
    }
}
