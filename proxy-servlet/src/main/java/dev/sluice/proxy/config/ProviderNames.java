package dev.sluice.proxy.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Traefik qualifies names with their provider ({@code api@file}); everything Sluice loads comes from
 * files, so a {@code @file} suffix in a reference is dropped here, once, and the rest of Sluice
 * only ever sees plain names. Other providers ({@code @internal}, {@code @docker}, ...) stay as
 * written and are reported as unknown references.
 */
final class ProviderNames {
    private static final String FILE = "@file";

    private ProviderNames() {}

    static SluiceConfig strip(SluiceConfig config) {
        HttpConfig http = config.http();
        Map<String, RouterConfig> routers = new LinkedHashMap<>();
        http.routers().forEach((name, r) -> routers.put(name,
                new RouterConfig(r.rule(), plain(r.service()), r.entryPoints(), plain(r.middlewares()), r.priority(), plain(r.tls()))));
        Map<String, ServiceConfig> services = new LinkedHashMap<>();
        http.services().forEach((name, s) -> services.put(name, strip(s)));
        Map<String, MiddlewareConfig> middlewares = new LinkedHashMap<>();
        http.middlewares().forEach((name, m) -> middlewares.put(name,
                m.options() == null ? m : m.withOptions(m.options().plainNames(ProviderNames::plain))));
        Map<String, EntryPointConfig> entryPoints = new LinkedHashMap<>();
        config.entryPoints().forEach((name, ep) -> entryPoints.put(name, ep.withMiddlewares(plain(ep.http().middlewares())).withHttpTls(plain(ep.http().tls()))));
        return config.withDynamic(entryPoints, new HttpConfig(routers, services, middlewares, http.serversTransports()),
                strip(config.tcp()), strip(config.udp()), config.tls());
    }

    private static RouterTlsConfig plain(RouterTlsConfig tls) {
        return tls == null ? null : new RouterTlsConfig(plain(tls.options()), tls.certResolver(), tls.domains());
    }

    private static TcpConfig strip(TcpConfig tcp) {
        Map<String, TcpRouterConfig> routers = new LinkedHashMap<>();
        tcp.routers().forEach((name, r) -> routers.put(name, new TcpRouterConfig(r.rule(), plain(r.service()), r.entryPoints(),
                plain(r.middlewares()), r.priority(), r.tls() == null ? null
                        : new TcpRouterConfig.Tls(r.tls().passthrough(), plain(r.tls().options()), r.tls().certResolver(), r.tls().domains()))));
        Map<String, TcpServiceConfig> services = new LinkedHashMap<>();
        tcp.services().forEach((name, s) -> services.put(name, strip(s)));
        return new TcpConfig(routers, services, tcp.middlewares(), tcp.serversTransports());
    }

    private static UdpConfig strip(UdpConfig udp) {
        Map<String, UdpConfig.Router> routers = new LinkedHashMap<>();
        udp.routers().forEach((name, r) -> routers.put(name, new UdpConfig.Router(r.entryPoints(), plain(r.service()))));
        Map<String, TcpServiceConfig> services = new LinkedHashMap<>();
        udp.services().forEach((name, s) -> services.put(name, strip(s)));
        return new UdpConfig(routers, services);
    }

    private static TcpServiceConfig strip(TcpServiceConfig s) {
        TcpLoadBalancerConfig lb = s.loadBalancer();
        if (lb != null && lb.serversTransport() != null) {
            lb = new TcpLoadBalancerConfig(lb.servers(), plain(lb.serversTransport()), lb.proxyProtocol(), lb.terminationDelay(),
                    lb.healthCheck(), lb.strategy());
        }
        TcpWeightedConfig weighted = s.weighted() == null ? null
                : new TcpWeightedConfig(children(s.weighted().services()), s.weighted().healthCheck());
        return new TcpServiceConfig(lb, weighted);
    }

    private static ServiceConfig strip(ServiceConfig s) {
        LoadBalancerConfig lb = s.loadBalancer();
        if (lb != null && lb.serversTransport() != null) {
            lb = new LoadBalancerConfig(lb.servers(), lb.passHostHeader(), lb.strategy(), lb.hashKey(), plain(lb.serversTransport()),
                    lb.sticky(), lb.healthCheck(), lb.passiveHealthCheck(), lb.responseForwarding());
        }
        WeightedConfig weighted = s.weighted() == null ? null
                : new WeightedConfig(children(s.weighted().services()), s.weighted().sticky(), s.weighted().healthCheck());
        HighestRandomWeightConfig hrw = s.highestRandomWeight() == null ? null
                : new HighestRandomWeightConfig(children(s.highestRandomWeight().services()), s.highestRandomWeight().healthCheck());
        FailoverConfig failover = s.failover() == null ? null
                : new FailoverConfig(plain(s.failover().service()), plain(s.failover().fallback()), s.failover().healthCheck(), s.failover().errors());
        MirroringConfig mirroring = s.mirroring() == null ? null
                : new MirroringConfig(plain(s.mirroring().service()),
                        s.mirroring().mirrors().stream().map(m -> new MirroringConfig.Mirror(plain(m.name()), m.percent())).toList(),
                        s.mirroring().mirrorBody(), s.mirroring().maxBodySize(), s.mirroring().healthCheck());
        return new ServiceConfig(lb, weighted, hrw, mirroring, failover, s.staticFiles());
    }

    private static List<ChildService> children(List<ChildService> children) {
        return children.stream().map(c -> new ChildService(plain(c.name()), c.weight())).toList();
    }

    private static List<String> plain(List<String> names) {
        return names.stream().map(ProviderNames::plain).toList();
    }

    static String plain(String name) {
        return name != null && name.endsWith(FILE) ? name.substring(0, name.length() - FILE.length()) : name;
    }
}
