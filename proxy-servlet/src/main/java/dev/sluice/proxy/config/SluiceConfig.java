package dev.sluice.proxy.config;

import java.util.Map;

/**
 * The whole configuration: the static part ({@code entryPoints}) and the dynamic part
 * ({@code http}), in Traefik's file-provider schema.
 *
 * <pre>
 * [entryPoints.web]
 * address = ":8080"
 *
 * [http.routers.api]
 * rule = "Host(`api.example.com`)"
 * service = "api"
 *
 * [[http.services.api.loadBalancer.servers]]
 * url = "http://127.0.0.1:9000"
 * </pre>
 */
public record SluiceConfig(Map<String, EntryPointConfig> entryPoints, HttpConfig http) {
    public SluiceConfig {
        entryPoints = Frozen.map(entryPoints);
        http = http == null ? HttpConfig.EMPTY : http;
    }
}
