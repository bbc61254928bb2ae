package dev.sluice.proxy.config;

import java.util.List;

/** {@code [http.services.NAME.highestRandomWeight]}: client-IP rendezvous hashing over services. */
public record HighestRandomWeightConfig(List<ChildService> services, ParentHealthCheck healthCheck) {
    public HighestRandomWeightConfig {
        services = Frozen.list(services);
    }
}
