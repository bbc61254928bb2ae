package dev.sluice.relay;

import dev.sluice.proxy.balance.Strategy;
import dev.sluice.proxy.config.EntryPointRoles;
import dev.sluice.proxy.config.IpRanges;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.config.TcpLoadBalancerConfig;
import dev.sluice.proxy.config.TcpMiddlewareConfig;
import dev.sluice.proxy.config.TcpRouterConfig;
import dev.sluice.proxy.config.TcpServersTransportConfig;
import dev.sluice.proxy.config.TcpServiceConfig;
import dev.sluice.proxy.config.TlsConfig;
import dev.sluice.proxy.config.UpstreamTlsConfig;
import dev.sluice.proxy.runtime.Carryover;
import dev.sluice.proxy.tls.ClientTls;
import dev.sluice.proxy.tls.ServerTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes and services of one relay configuration, built without touching traffic. Servers (with
 * their health and connection counts), middlewares (with their counters) and TLS contexts whose
 * configuration is unchanged are taken over from the previous generation through the
 * {@link Carryover}; health checks are registered with the generation's checker, started when it
 * serves.
 */
final class Generation {
    private static final Logger LOG = LoggerFactory.getLogger(Generation.class);

    private final Map<String, TcpRoutes> routes;
    private final Map<String, UdpRoute> udpServices;
    private final List<String> tcpEntryPoints;
    /** The TCP services routers name, by name: for the API's serverStatus. */
    private final Map<String, TcpService> tcpServices;

    private Generation(Map<String, TcpRoutes> routes, Map<String, UdpRoute> udpServices, List<String> tcpEntryPoints,
            Map<String, TcpService> tcpServices) {
        this.routes = routes;
        this.udpServices = udpServices;
        this.tcpEntryPoints = tcpEntryPoints;
        this.tcpServices = tcpServices;
    }

    static Generation build(SluiceConfig config, EntryPointRoles roles, Map<String, InetSocketAddress> httpSide, TcpHealthChecks checks,
            Carryover carryover) {
        ServiceBuilder tcpServices = new ServiceBuilder("tcp", config.tcp().services(), config.tcp().serversTransports(), checks, carryover);
        Map<String, List<TcpRoutes.Route>> byEntryPoint = new HashMap<>();
        Map<String, TcpMiddleware> middlewares = middlewares(config, carryover);
        Terminations terminations = carryover.keep(new TerminationsKey(config.tls()), () -> new Terminations(config.tls()));
        config.tcp().routers().forEach((name, router) -> {
            TcpRoutes.Route route = route(name, router, tcpServices.get(router.service()), middlewares, terminations.of(router.tls()));
            for (String ep : roles.attach(EntryPointRoles.Role.TCP, router.entryPoints())) {
                byEntryPoint.computeIfAbsent(ep, k -> new ArrayList<>()).add(route);
            }
            if (router.entryPoints().isEmpty()) {
                explainDefaultAttachment(name, roles);
            }
        });
        List<String> tcpEntryPoints = new ArrayList<>(roles.all(EntryPointRoles.Role.TCP));
        tcpEntryPoints.addAll(roles.shared());
        Map<String, TcpRoutes> routes = new HashMap<>();
        for (String name : tcpEntryPoints) {
            routes.put(name, new TcpRoutes(byEntryPoint.getOrDefault(name, List.of()), httpFallback(httpSide.get(name))));
        }
        ServiceBuilder udpServices = new ServiceBuilder("udp", config.udp().services(), Map.of(), null, carryover);
        Map<String, UdpRoute> udpByEntryPoint = new HashMap<>();
        config.udp().routers().forEach((name, router) -> {
            for (String ep : roles.attach(EntryPointRoles.Role.UDP, router.entryPoints())) {
                udpByEntryPoint.putIfAbsent(ep, new UdpRoute(name, udpServices.get(router.service())));
            }
        });
        return new Generation(routes, udpByEntryPoint, List.copyOf(tcpEntryPoints), Map.copyOf(tcpServices.built));
    }

    /** Each server of TCP load balancer {@code service} and {@code UP} or {@code DOWN}; empty for another kind or name. */
    Map<String, String> serverStatus(String service) {
        if (!(tcpServices.get(service) instanceof TcpService.LoadBalancer balancer)) {
            return Map.of();
        }
        Map<String, String> status = new java.util.LinkedHashMap<>();
        balancer.servers().forEach(server -> status.put(server.id(), server.isUp() ? "UP" : "DOWN"));
        return status;
    }

    /** The TCP entry points (shared ones included) this generation serves. */
    List<String> tcpEntryPoints() {
        return tcpEntryPoints;
    }

    TcpRoutes routes(String entryPoint) {
        return routes.get(entryPoint);
    }

    /** The router of UDP entry point {@code name}, or null when no router names it. */
    UdpRoute udpService(String entryPoint) {
        return udpServices.get(entryPoint);
    }

    /** Traefik would put a TCP router without entryPoints in front of HTTP-only entry points too; say that Sluice does not. */
    private static void explainDefaultAttachment(String router, EntryPointRoles roles) {
        List<String> httpOnly = roles.all(EntryPointRoles.Role.HTTP).stream().filter(ep -> !roles.shared().contains(ep)).toList();
        if (!httpOnly.isEmpty()) {
            LOG.info("TCP router {} has no entryPoints: it serves {}, not the HTTP entry points {} (name one in its entryPoints"
                    + " to share it with HTTP, TCP routers first)", router, roles.attach(EntryPointRoles.Role.TCP, List.of()), httpOnly);
        }
    }

    /** The catch-all of a shared entry point: to the HTTP side, with the client's address in a PROXY v2 header. */
    private static TcpRoutes.Route httpFallback(InetSocketAddress http) {
        if (http == null) {
            return null;
        }
        // No termination deadline: HTTP ends its connections itself.
        TcpServer server = new TcpServer(http.getHostString() + ":" + http.getPort(), 1, new TcpServer.Dial(5_000, 0, -1, 2), null);
        return new TcpRoutes.Route("http", Integer.MIN_VALUE, request -> true, false,
                new TcpService.LoadBalancer("http", List.of(server), Strategy.WRR), List.of(), null);
    }

    /** One instance per name and options: an unchanged inFlightConn keeps counting the connections it admitted. */
    private static Map<String, TcpMiddleware> middlewares(SluiceConfig config, Carryover carryover) {
        Map<String, TcpMiddleware> built = new HashMap<>();
        config.tcp().middlewares().forEach((name, m) -> built.put(name, carryover.keep(new MiddlewareKey(name, m), () -> m.inFlightConn() != null
                ? new TcpMiddleware.InFlightConn(m.inFlightConn().amount())
                : new TcpMiddleware.IpAllowList(IpRanges.parse(m.allowList().sourceRange())))));
        return built;
    }

    private static TcpRoutes.Route route(String name, TcpRouterConfig router, TcpService service, Map<String, TcpMiddleware> middlewares,
            ServerTls termination) {
        return new TcpRoutes.Route(name, router.effectivePriority(), router.rule().matcher(), router.tls() != null, service,
                router.middlewares().stream().map(middlewares::get).toList(), termination);
    }

    /** The UDP router of an entry point and its service. */
    record UdpRoute(String router, TcpService service) {}

    private record TerminationsKey(TlsConfig tls) {}

    private record MiddlewareKey(String name, TcpMiddlewareConfig config) {}

    /** A server is taken over when everything about how it is dialled is unchanged. */
    private record ServerKey(String protocol, String service, String address, int weight, TcpServer.Dial dial, ClientTls tls) {}

    private record ClientTlsKey(String transport, UpstreamTlsConfig tls) {}

    /** Builds each service once, children before parents (validation ruled out cycles). */
    private static final class ServiceBuilder {
        private final String protocol;
        private final Map<String, TcpServiceConfig> configs;
        private final Map<String, TcpServersTransportConfig> transports;
        private final TcpHealthChecks checks;
        private final Carryover carryover;
        private final Map<String, TcpService> built = new HashMap<>();

        ServiceBuilder(String protocol, Map<String, TcpServiceConfig> configs, Map<String, TcpServersTransportConfig> transports,
                TcpHealthChecks checks, Carryover carryover) {
            this.protocol = protocol;
            this.configs = configs;
            this.transports = transports;
            this.checks = checks;
            this.carryover = carryover;
        }

        TcpService get(String name) {
            TcpService service = built.get(name);
            if (service == null) {
                service = build(name, configs.get(name));
                built.put(name, service);
            }
            return service;
        }

        private TcpService build(String name, TcpServiceConfig config) {
            if (config.weighted() != null) {
                return new TcpService.Weighted(name, config.weighted().services().stream()
                        .map(child -> new TcpService.Weighted.Child(get(child.name()), child.weight())).toList());
            }
            TcpLoadBalancerConfig lb = config.loadBalancer();
            TcpServer.Dial dial = dial(lb);
            List<TcpServer> servers = lb.servers().stream().map(s -> {
                ClientTls tls = s.tls() ? upstreamTls(lb) : null;
                return carryover.keep(new ServerKey(protocol, name, s.address(), s.weight(), dial, tls),
                        () -> new TcpServer(s.address(), s.weight(), dial, tls));
            }).toList();
            if (checks != null && lb.healthCheck() != null) {
                checks.add(name, servers, lb.healthCheck());
            } else if (checks != null) {
                checks.unchecked(servers);
            }
            return new TcpService.LoadBalancer(name, servers, lb.strategy());
        }

        /** The TLS of the load balancer's transport, built once per transport configuration. */
        private ClientTls upstreamTls(TcpLoadBalancerConfig lb) {
            String name = transportName(lb);
            UpstreamTlsConfig tls = transport(lb).tls();
            return carryover.keep(new ClientTlsKey(name, tls), () -> {
                try {
                    return ClientTls.of(tls);
                } catch (IOException e) {
                    throw new UncheckedIOException("tcp.serversTransports." + name + ".tls: " + e.getMessage(), e);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("tcp.serversTransports." + name + ".tls: " + e.getMessage(), e);
                }
            });
        }

        private static String transportName(TcpLoadBalancerConfig lb) {
            return lb.serversTransport() == null ? "default" : lb.serversTransport();
        }

        private TcpServersTransportConfig transport(TcpLoadBalancerConfig lb) {
            return transports.getOrDefault(transportName(lb), TcpServersTransportConfig.DEFAULT);
        }

        /** The load balancer's own {@code proxyProtocol}/{@code terminationDelay} win over its transport's. */
        private TcpServer.Dial dial(TcpLoadBalancerConfig lb) {
            TcpServersTransportConfig transport = transport(lb);
            long termination = lb.terminationDelay() != null ? lb.terminationDelay() : transport.terminationDelay().toMillis();
            TcpLoadBalancerConfig.ProxyProtocol proxy = lb.proxyProtocol() != null ? lb.proxyProtocol() : transport.proxyProtocol();
            Duration keepAlive = transport.dialKeepAlive();
            // Go's dialer, whose semantics Traefik's option has: negative = off, 0 = its default of 15s.
            int keepAliveSeconds = keepAlive.isNegative() ? 0 : keepAlive.isZero() ? 15 : (int) Math.max(keepAlive.toSeconds(), 1);
            return new TcpServer.Dial(transport.dialTimeout().toMillis(), keepAliveSeconds, termination, proxy == null ? 0 : proxy.version());
        }
    }
}
