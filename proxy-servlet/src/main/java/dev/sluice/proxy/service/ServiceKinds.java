package dev.sluice.proxy.service;

import dev.sluice.proxy.balance.Strategy;
import dev.sluice.proxy.config.LoadBalancerConfig;
import dev.sluice.proxy.config.StaticConfig;
import dev.sluice.proxy.transport.UpstreamClients;
import java.util.List;
import java.util.Map;

/**
 * The registry of service kinds, keyed by their TOML type name ({@code loadBalancer}, {@code static}).
 * A new kind is a config field in {@code ServiceConfig} plus one entry here.
 */
public final class ServiceKinds {
    /** Builds one service of a kind from its (validated) config record. */
    @FunctionalInterface
    public interface Factory {
        HttpService create(String name, Object config, UpstreamClients clients);
    }

    private static final Map<String, Factory> KINDS = Map.of(
            "loadBalancer", (name, config, clients) -> loadBalancer(name, (LoadBalancerConfig) config, clients),
            "static", (name, config, clients) -> new StaticSite(name, new StaticFiles((StaticConfig) config)));

    private ServiceKinds() {}

    public static Factory factory(String kind) {
        Factory factory = KINDS.get(kind);
        if (factory == null) {
            throw new IllegalArgumentException("unknown service kind " + kind);
        }
        return factory;
    }

    private static LoadBalancer loadBalancer(String name, LoadBalancerConfig config, UpstreamClients clients) {
        List<Server> servers = config.servers().stream().map(Server::new).toList();
        Strategy strategy = Strategy.byName(config.strategy());
        var client = clients.get(config.serversTransport());
        long headerTimeout = clients.responseHeaderTimeout(config.serversTransport()).toMillis();
        return new LoadBalancer(name, servers, strategy.newSelector(servers), config.passHostHeader(), client, headerTimeout);
    }
}
