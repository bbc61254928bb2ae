package dev.sluice.proxy.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code [http.services.NAME]}: exactly one service kind, keyed by its TOML type name. Adding a kind
 * means a field here and an entry in {@code dev.sluice.proxy.service.ServiceKinds}.
 */
public record ServiceConfig(LoadBalancerConfig loadBalancer, WeightedConfig weighted,
        HighestRandomWeightConfig highestRandomWeight, MirroringConfig mirroring, FailoverConfig failover,
        @JsonProperty("static") StaticConfig staticFiles) {

    public static ServiceConfig of(LoadBalancerConfig loadBalancer) {
        return new ServiceConfig(loadBalancer, null, null, null, null, null);
    }

    public static ServiceConfig of(StaticConfig site) {
        return new ServiceConfig(null, null, null, null, null, site);
    }

    /** A copy with another {@code static} part (the others kept, so validation still sees them). */
    public ServiceConfig withStaticFiles(StaticConfig site) {
        return new ServiceConfig(loadBalancer, weighted, highestRandomWeight, mirroring, failover, site);
    }

    /** The kinds that are set, by TOML type name, in declaration order. */
    public Map<String, Object> kinds() {
        Map<String, Object> kinds = new LinkedHashMap<>();
        put(kinds, "loadBalancer", loadBalancer);
        put(kinds, "weighted", weighted);
        put(kinds, "highestRandomWeight", highestRandomWeight);
        put(kinds, "mirroring", mirroring);
        put(kinds, "failover", failover);
        put(kinds, "static", staticFiles);
        return kinds;
    }

    private static void put(Map<String, Object> kinds, String name, Object value) {
        if (value != null) {
            kinds.put(name, value);
        }
    }
}
