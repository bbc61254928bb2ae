package dev.sluice.proxy.config;

import java.util.List;

/** {@code [http.services.NAME.weighted]}: weighted round-robin over services, optionally sticky. */
public record WeightedConfig(List<ChildService> services, StickyConfig sticky, ParentHealthCheck healthCheck) {
    public WeightedConfig {
        services = Frozen.list(services);
    }
}
