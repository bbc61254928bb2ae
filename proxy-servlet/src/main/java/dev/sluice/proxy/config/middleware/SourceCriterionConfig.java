package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.Problems;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code sourceCriterion}: what makes requests come from the same source (rateLimit, inFlightReq):
 * the client IP by an {@code ipStrategy}, the value of the header {@code requestHeaderName}, or the
 * request's host ({@code requestHost = true}). At most one may be given.
 */
public record SourceCriterionConfig(IpStrategyConfig ipStrategy, String requestHeaderName, Boolean requestHost) {
    public SourceCriterionConfig {
        requestHeaderName = requestHeaderName == null || requestHeaderName.isEmpty() ? null : requestHeaderName;
        requestHost = requestHost != null && requestHost;
    }

    /** The peer's address: rateLimit's default. */
    public static final SourceCriterionConfig REMOTE_ADDRESS = new SourceCriterionConfig(IpStrategyConfig.REMOTE_ADDRESS, null, false);
    /** The request's host: inFlightReq's default. */
    public static final SourceCriterionConfig REQUEST_HOST = new SourceCriterionConfig(null, null, true);

    /** Whether a criterion is set; an empty table sets none, and the middleware's default applies. */
    public boolean isEmpty() {
        return ipStrategy == null && requestHeaderName == null && !requestHost;
    }

    void validate(String path, Problems problems) {
        List<String> given = new ArrayList<>();
        if (ipStrategy != null) {
            given.add("ipStrategy");
            ipStrategy.validate(path + ".ipStrategy", problems);
        }
        if (requestHeaderName != null) {
            given.add("requestHeaderName");
        }
        if (requestHost) {
            given.add("requestHost");
        }
        if (given.size() > 1) {
            problems.add(path, "only one criterion allowed, got " + String.join(" and ", given));
        }
    }
}
