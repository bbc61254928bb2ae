package dev.sluice.proxy.config;

import java.util.List;

/** {@code [tcp.services.NAME.weighted]}: weighted round-robin over other TCP services. */
public record TcpWeightedConfig(List<ChildService> services, ParentHealthCheck healthCheck) {
    public TcpWeightedConfig {
        services = Frozen.list(services);
    }
}
