package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.IpRanges;
import dev.sluice.proxy.config.Problems;
import java.util.List;

/**
 * {@code ipAllowList}: only clients whose IP (found by {@code ipStrategy}) is in {@code sourceRange}
 * pass; the others get {@code rejectStatusCode} (403).
 */
public record IpAllowListConfig(List<String> sourceRange, IpStrategyConfig ipStrategy, Integer rejectStatusCode)
        implements MiddlewareOptions {
    public IpAllowListConfig {
        sourceRange = sourceRange == null ? List.of() : List.copyOf(sourceRange);
        ipStrategy = ipStrategy == null ? IpStrategyConfig.REMOTE_ADDRESS : ipStrategy;
        rejectStatusCode = rejectStatusCode == null || rejectStatusCode == 0 ? 403 : rejectStatusCode;
    }

    @Override
    public void validate(String path, Problems problems, HttpConfig http) {
        if (sourceRange.isEmpty()) {
            problems.add(path + ".sourceRange", "at least one IP address or CIDR block required");
        }
        for (int i = 0; i < sourceRange.size(); i++) {
            if (!IpRanges.isValid(sourceRange.get(i))) {
                problems.add(path + ".sourceRange[" + i + "]", "expected an IP address or a CIDR block, got \"" + sourceRange.get(i) + "\"");
            }
        }
        ipStrategy.validate(path + ".ipStrategy", problems);
        if (rejectStatusCode < 100 || rejectStatusCode > 599) {
            problems.add(path + ".rejectStatusCode", "must be an HTTP status between 100 and 599, got " + rejectStatusCode);
        }
    }
}
