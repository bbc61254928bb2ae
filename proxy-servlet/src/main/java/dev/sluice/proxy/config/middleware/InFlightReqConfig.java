package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.Problems;

/**
 * {@code inFlightReq}: at most {@code amount} requests of one source in progress at once; more get
 * 429. Sources are told apart by {@code sourceCriterion}, by default the request's host (as in
 * Traefik, not the client IP).
 */
public record InFlightReqConfig(Long amount, SourceCriterionConfig sourceCriterion) implements MiddlewareOptions {
    public InFlightReqConfig {
        amount = amount == null ? 0 : amount;
        sourceCriterion = sourceCriterion == null || sourceCriterion.isEmpty() ? SourceCriterionConfig.REQUEST_HOST : sourceCriterion;
    }

    @Override
    public void validate(String path, Problems problems, HttpConfig http) {
        // Traefik takes 0 as a cap of no request, which refuses everything: surely a mistake.
        if (amount <= 0) {
            problems.add(path + ".amount", "must be 1 or more, got " + amount);
        }
        sourceCriterion.validate(path + ".sourceCriterion", problems);
    }
}
