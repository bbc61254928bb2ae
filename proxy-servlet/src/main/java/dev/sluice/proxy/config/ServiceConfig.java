package dev.sluice.proxy.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code [http.services.NAME]}: exactly one service kind, keyed by its TOML type name. Adding a kind
 * means a field here and an entry in {@code dev.sluice.proxy.service.ServiceKinds}.
 */
public record ServiceConfig(LoadBalancerConfig loadBalancer, @JsonProperty("static") StaticConfig staticFiles) {

    /** The kinds that are set, by TOML type name, in declaration order. */
    public Map<String, Object> kinds() {
        Map<String, Object> kinds = new LinkedHashMap<>();
        if (loadBalancer != null) {
            kinds.put("loadBalancer", loadBalancer);
        }
        if (staticFiles != null) {
            kinds.put("static", staticFiles);
        }
        return kinds;
    }
}
