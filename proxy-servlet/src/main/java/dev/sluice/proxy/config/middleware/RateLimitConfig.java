package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.Problems;
import java.time.Duration;
import java.util.Map;

/**
 * {@code rateLimit}: a token bucket per source, filled at {@code average / period} tokens a second
 * and holding up to {@code burst}. {@code average = 0} (the default) limits nothing. Sources are
 * told apart by {@code sourceCriterion} (default: the peer's address). Traefik's {@code redis}
 * (buckets shared by a cluster) is refused: Sluice's buckets live in each instance.
 */
public record RateLimitConfig(Long average, Duration period, Long burst, SourceCriterionConfig sourceCriterion,
        Map<String, Object> redis) implements MiddlewareOptions {
    public RateLimitConfig {
        average = average == null ? 0 : average;
        period = period == null || period.isZero() ? Duration.ofSeconds(1) : period;
        burst = burst == null ? 1 : Math.max(1, burst);
        sourceCriterion = sourceCriterion == null || sourceCriterion.isEmpty() ? SourceCriterionConfig.REMOTE_ADDRESS : sourceCriterion;
    }

    @Override
    public void validate(String path, Problems problems, HttpConfig http) {
        if (average < 0) {
            problems.add(path + ".average", "must be 0 (no limit) or more, got " + average);
        }
        if (period.isNegative()) {
            problems.add(path + ".period", "must not be negative");
        }
        sourceCriterion.validate(path + ".sourceCriterion", problems);
        if (redis != null) {
            problems.add(path + ".redis", "distributed rate limiting (buckets in Redis) is not supported: "
                    + "remove redis to limit in each Sluice instance");
        }
    }

    /** Tokens added per second; infinite when {@code average} is 0. */
    public double tokensPerSecond() {
        return average == 0 ? Double.POSITIVE_INFINITY : average * 1e9 / period.toNanos();
    }
}
