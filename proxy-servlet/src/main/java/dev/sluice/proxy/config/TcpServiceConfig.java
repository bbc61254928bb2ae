package dev.sluice.proxy.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code [tcp.services.NAME]} (and {@code [udp.services.NAME]}): exactly one of {@code loadBalancer} or {@code weighted}. */
public record TcpServiceConfig(TcpLoadBalancerConfig loadBalancer, TcpWeightedConfig weighted) {

    /** The kinds that are set, by TOML type name. */
    public Map<String, Object> kinds() {
        Map<String, Object> kinds = new LinkedHashMap<>();
        if (loadBalancer != null) {
            kinds.put("loadBalancer", loadBalancer);
        }
        if (weighted != null) {
            kinds.put("weighted", weighted);
        }
        return kinds;
    }
}
