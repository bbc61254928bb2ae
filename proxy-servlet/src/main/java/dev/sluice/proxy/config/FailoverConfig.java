package dev.sluice.proxy.config;

import java.util.List;

/**
 * {@code [http.services.NAME.failover]}: {@code service} while it is healthy, else {@code fallback};
 * with {@code errors}, a listed status from the main service replays the request on the fallback.
 */
public record FailoverConfig(String service, String fallback, ParentHealthCheck healthCheck, Errors errors) {

    /**
     * {@code failover.errors}.
     *
     * @param status statuses or ranges, e.g. {@code ["500", "502-504"]}
     * @param maxRequestBodyBytes bodies are kept for replay up to this size; -1 (default) = no limit
     */
    public record Errors(List<String> status, Long maxRequestBodyBytes) {
        public Errors {
            status = Frozen.list(status);
            maxRequestBodyBytes = maxRequestBodyBytes == null ? -1 : maxRequestBodyBytes;
        }
    }
}
