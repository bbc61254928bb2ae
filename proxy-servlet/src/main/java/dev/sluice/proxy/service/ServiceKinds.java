package dev.sluice.proxy.service;

import dev.sluice.proxy.balance.HashKey;
import dev.sluice.proxy.balance.Strategy;
import dev.sluice.proxy.config.ChildService;
import dev.sluice.proxy.config.FailoverConfig;
import dev.sluice.proxy.config.HealthCheckConfig;
import dev.sluice.proxy.config.HighestRandomWeightConfig;
import dev.sluice.proxy.config.LoadBalancerConfig;
import dev.sluice.proxy.config.MirroringConfig;
import dev.sluice.proxy.config.StaticConfig;
import dev.sluice.proxy.config.WeightedConfig;
import dev.sluice.proxy.health.ActiveHealthChecker;
import dev.sluice.proxy.health.HealthState.PassivePolicy;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.client.HttpClient;

/**
 * The registry of service kinds, keyed by their TOML type name. A new kind is a config field in
 * {@code ServiceConfig} plus one entry here.
 */
public final class ServiceKinds {
    /** Builds one service of a kind from its (validated) config record. */
    @FunctionalInterface
    public interface Factory {
        HttpService create(String name, Object config, ServiceBuilder builder);
    }

    private static final Map<String, Factory> KINDS = Map.of(
            "loadBalancer", (name, config, builder) -> loadBalancer(name, (LoadBalancerConfig) config, builder),
            "weighted", (name, config, builder) -> weighted(name, (WeightedConfig) config, builder),
            "highestRandomWeight", (name, config, builder) -> highestRandomWeight(name, (HighestRandomWeightConfig) config, builder),
            "failover", (name, config, builder) -> failover(name, (FailoverConfig) config, builder),
            "mirroring", (name, config, builder) -> mirroring(name, (MirroringConfig) config, builder),
            "static", (name, config, builder) -> new StaticSite(name, new StaticFiles((StaticConfig) config)));

    private ServiceKinds() {}

    public static Factory factory(String kind) {
        Factory factory = KINDS.get(kind);
        if (factory == null) {
            throw new IllegalArgumentException("unknown service kind " + kind);
        }
        return factory;
    }

    private static LoadBalancer loadBalancer(String name, LoadBalancerConfig config, ServiceBuilder builder) {
        List<Server> servers = config.servers().stream().map(server -> builder.server(name, server)).toList();
        Strategy strategy = config.strategy();
        HttpClient client = builder.clients().get(config.serversTransport());
        PassivePolicy passive = config.passiveHealthCheck() == null ? null
                : new PassivePolicy(config.passiveHealthCheck().maxFailedAttempts(), config.passiveHealthCheck().failureWindow().toMillis());
        var settings = new LoadBalancer.Settings(client, config.passHostHeader(),
                builder.clients().responseHeaderTimeout(config.serversTransport()).toMillis(), passive,
                config.healthCheck() != null || passive != null, config.responseForwarding().flushInterval().toNanos(),
                builder.clients().tunnelIdleTimeout(config.serversTransport()).toMillis());
        var hashKey = strategy == Strategy.HASH ? HashKeys.of(config.hashKey()) : strategy.usesKey() ? HashKeys.of(HashKey.IP) : null;
        StickyCookie sticky = config.sticky() == null || config.sticky().cookie() == null ? null
                : new StickyCookie(config.sticky().cookie(), name);
        LoadBalancer balancer = new LoadBalancer(name, servers, strategy, hashKey, sticky, settings);
        builder.closeLater(balancer::detach);
        if (config.healthCheck() != null) {
            ActiveHealthChecker checker = new ActiveHealthChecker(client, config.healthCheck(),
                    servers.stream().map(s -> target(name, s, config.healthCheck())).toList());
            builder.closeLater(checker);
            builder.startOnCommit(checker::start);
        } else {
            // A state taken over from a snapshot whose check said down would stay down for good.
            builder.startOnCommit(() -> servers.forEach(s -> s.health().clearActive()));
        }
        return balancer;
    }

    /** The check URL of one server: its origin with the check's scheme, port and path. */
    private static ActiveHealthChecker.Target target(String service, Server server, HealthCheckConfig check) {
        URI origin = server.origin();
        String scheme = check.scheme() != null ? check.scheme() : origin.getScheme();
        int port = check.port() != null ? check.port() : origin.getPort();
        String path = check.path() == null ? "/" : check.path();
        URI uri = URI.create(scheme + "://" + origin.getHost() + (port > 0 ? ":" + port : "") + (path.startsWith("/") ? path : "/" + path));
        // A unix server is checked over its socket whatever the check's port says.
        return new ActiveHealthChecker.Target(service + " " + server.url(), uri, check.hostname(), server.health(), server.transport());
    }

    private static ServiceGroup weighted(String name, WeightedConfig config, ServiceBuilder builder) {
        StickyCookie sticky = config.sticky() == null || config.sticky().cookie() == null ? null
                : new StickyCookie(config.sticky().cookie(), name);
        return new ServiceGroup(name, children(config.services(), builder), Strategy.WRR, config.healthCheck() != null, sticky);
    }

    private static ServiceGroup highestRandomWeight(String name, HighestRandomWeightConfig config, ServiceBuilder builder) {
        return new ServiceGroup(name, children(config.services(), builder), Strategy.HRW, config.healthCheck() != null, null);
    }

    private static List<ServiceGroup.Child> children(List<ChildService> services, ServiceBuilder builder) {
        return services.stream().map(c -> new ServiceGroup.Child(builder.service(c.name()), c.weight())).toList();
    }

    private static Failover failover(String name, FailoverConfig config, ServiceBuilder builder) {
        List<String> statuses = config.errors() == null ? List.of() : config.errors().status();
        long maxBody = config.errors() == null ? -1 : config.errors().maxRequestBodyBytes();
        return new Failover(name, builder.service(config.service()), builder.service(config.fallback()), config.healthCheck() != null,
                statuses, maxBody);
    }

    private static Mirroring mirroring(String name, MirroringConfig config, ServiceBuilder builder) {
        List<Mirroring.Mirror> mirrors = config.mirrors().stream()
                .map(m -> new Mirroring.Mirror(builder.service(m.name()), m.percent(), new MirrorSender()))
                .toList();
        return new Mirroring(name, builder.service(config.service()), mirrors, config.mirrorBody(), config.maxBodySize());
    }
}
