package dev.sluice.relay;

import dev.sluice.proxy.config.EntryPointAddress;
import dev.sluice.proxy.config.EntryPointConfig;
import dev.sluice.proxy.config.EntryPointRoles;
import dev.sluice.proxy.config.IpRanges;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.balance.Strategy;
import dev.sluice.proxy.config.TcpLoadBalancerConfig;
import dev.sluice.proxy.config.TcpRouterConfig;
import dev.sluice.proxy.config.TcpServersTransportConfig;
import dev.sluice.proxy.config.TcpServiceConfig;
import dev.sluice.proxy.tls.ClientTls;
import dev.sluice.proxy.tls.ServerTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.security.GeneralSecurityException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The L4 relay: every TCP and UDP entry point of a validated configuration (see
 * {@link EntryPointRoles}), served by one selector thread.
 *
 * <pre>
 * try (Relay relay = Relay.start(config)) {
 *     int port = relay.port("postgres");
 * }
 * </pre>
 */
public final class Relay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);

    /**
     * Tuning that Traefik's schema has no key for.
     *
     * @param bufferSize bytes buffered per direction and connection
     * @param peekTimeoutMillis how long to wait for a ClientHello (or PROXY header) before routing a
     *     connection as plain TCP, for protocols where the server speaks first
     * @param maxUdpSessions UDP sessions per entry point (each holds a socket); datagrams from new
     *     clients are dropped while the table is full
     */
    public record Settings(int bufferSize, long peekTimeoutMillis, int maxUdpSessions) {
        public static final Settings DEFAULT = new Settings(32 * 1024, 1_000, 10_000);
    }

    private final Reactor reactor;
    private final Map<String, TcpListener> tcp;
    private final Map<String, UdpListener> udp;
    private final TcpHealthChecks healthChecks;
    private final ExecutorService handshakeTasks;

    private Relay(Reactor reactor, Map<String, TcpListener> tcp, Map<String, UdpListener> udp, TcpHealthChecks healthChecks,
            ExecutorService handshakeTasks) {
        this.reactor = reactor;
        this.tcp = tcp;
        this.udp = udp;
        this.healthChecks = healthChecks;
        this.handshakeTasks = handshakeTasks;
    }

    /** True if {@code config} has entry points the relay serves. */
    public static boolean needed(SluiceConfig config) {
        EntryPointRoles roles = EntryPointRoles.of(config);
        return !roles.all(EntryPointRoles.Role.TCP).isEmpty() || !roles.all(EntryPointRoles.Role.UDP).isEmpty()
                || !roles.shared().isEmpty();
    }

    public static Relay start(SluiceConfig config) throws IOException {
        return start(config, Settings.DEFAULT, Map.of());
    }

    public static Relay start(SluiceConfig config, Settings settings) throws IOException {
        return start(config, settings, Map.of());
    }

    /**
     * Binds every TCP and UDP entry point, and the shared ones (see {@link EntryPointRoles#shared()}),
     * and starts serving; on failure nothing stays open.
     *
     * @param httpSide for shared entry points: where the HTTP side listens (on loopback, expecting a
     *     PROXY v2 header with the client's address); connections no TCP router takes are relayed
     *     there. A shared entry point without one closes such connections.
     */
    public static Relay start(SluiceConfig config, Settings settings, Map<String, InetSocketAddress> httpSide) throws IOException {
        EntryPointRoles roles = EntryPointRoles.of(config);
        Reactor reactor = new Reactor("sluice-relay");
        Map<String, TcpListener> tcp = new LinkedHashMap<>();
        Map<String, UdpListener> udp = new LinkedHashMap<>();
        ExecutorService handshakeTasks = handshakeExecutor();
        TcpHealthChecks checks = new TcpHealthChecks(reactor, handshakeTasks);
        List<AutoCloseable> opened = new ArrayList<>();
        opened.add(handshakeTasks::shutdownNow);
        try {
            ServiceBuilder tcpServices = new ServiceBuilder(config.tcp().services(), config.tcp().serversTransports(), checks);
            Map<String, List<TcpRoutes.Route>> byEntryPoint = new HashMap<>();
            Map<String, TcpMiddleware> middlewares = middlewares(config);
            Terminations terminations = new Terminations(config.tls());
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
            for (String name : tcpEntryPoints) {
                EntryPointConfig ep = config.entryPoints().get(name);
                InetSocketAddress bindAddress = socketAddress(ep.address());
                // An IPv4 address gets an IPv4 socket; a wildcard keeps the JDK's dual-stack one.
                ServerSocketChannel channel = bindAddress.getAddress() instanceof Inet4Address ipv4 && !ipv4.isAnyLocalAddress()
                        ? ServerSocketChannel.open(StandardProtocolFamily.INET) : ServerSocketChannel.open();
                opened.add(channel);
                channel.bind(bindAddress, 1024);
                IpRanges trusted = ep.proxyProtocol().trustedIPs().isEmpty() ? null : IpRanges.parse(ep.proxyProtocol().trustedIPs());
                TcpListener listener = new TcpListener(name, channel, reactor,
                        new TcpRoutes(byEntryPoint.getOrDefault(name, List.of()), httpFallback(httpSide.get(name))), settings,
                        ep.transport().respondingTimeouts().idleTimeout().toMillis(), trusted, ep.proxyProtocol().insecure(), handshakeTasks);
                listener.register();
                tcp.put(name, listener);
            }
            ServiceBuilder udpServices = new ServiceBuilder(config.udp().services(), Map.of(), null);
            Map<String, TcpService> udpByEntryPoint = new HashMap<>();
            config.udp().routers().forEach((name, router) -> {
                for (String ep : roles.attach(EntryPointRoles.Role.UDP, router.entryPoints())) {
                    udpByEntryPoint.putIfAbsent(ep, udpServices.get(router.service()));
                }
            });
            for (String name : roles.all(EntryPointRoles.Role.UDP)) {
                EntryPointConfig ep = config.entryPoints().get(name);
                DatagramChannel channel = DatagramChannel.open();
                opened.add(channel);
                channel.bind(socketAddress(ep.address()));
                UdpListener listener = new UdpListener(name, channel, reactor, udpByEntryPoint.get(name), ep.udp().timeout().toMillis(),
                        settings.maxUdpSessions());
                listener.register();
                udp.put(name, listener);
            }
        } catch (IOException | RuntimeException e) {
            for (AutoCloseable c : opened) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing anyway
                }
            }
            reactor.close();
            throw e;
        }
        reactor.start();
        checks.start();
        tcp.forEach((name, l) -> LOG.info("entry point {} (tcp) listening on port {}", name, l.port()));
        udp.forEach((name, l) -> LOG.info("entry point {} (udp) listening on port {}", name, l.port()));
        return new Relay(reactor, tcp, udp, checks, handshakeTasks);
    }

    /**
     * Threads for the slow parts of TLS handshakes (key exchange, certificate checks) that the JDK
     * hands out as delegated tasks, so that they never hold up the reactor; idle threads go away.
     */
    private static ExecutorService handshakeExecutor() {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, "sluice-relay-tls-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        executor.allowCoreThreadTimeOut(true);
        return executor;
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

    private static InetSocketAddress socketAddress(String address) {
        EntryPointAddress parsed = EntryPointAddress.parse(address);
        return parsed.host() == null ? new InetSocketAddress(parsed.port()) : new InetSocketAddress(parsed.host(), parsed.port());
    }

    private static Map<String, TcpMiddleware> middlewares(SluiceConfig config) {
        Map<String, TcpMiddleware> built = new HashMap<>();
        config.tcp().middlewares().forEach((name, m) -> built.put(name, m.inFlightConn() != null
                ? new TcpMiddleware.InFlightConn(m.inFlightConn().amount())
                : new TcpMiddleware.IpAllowList(IpRanges.parse(m.allowList().sourceRange()))));
        return built;
    }

    private static TcpRoutes.Route route(String name, TcpRouterConfig router, TcpService service, Map<String, TcpMiddleware> middlewares,
            ServerTls termination) {
        return new TcpRoutes.Route(name, router.effectivePriority(), router.rule().matcher(), router.tls() != null, service,
                router.middlewares().stream().map(middlewares::get).toList(), termination);
    }

    /** The port entry point {@code name} listens on (useful with port 0). */
    public int port(String entryPoint) {
        TcpListener listener = tcp.get(entryPoint);
        if (listener != null) {
            return listener.port();
        }
        UdpListener datagrams = udp.get(entryPoint);
        if (datagrams != null) {
            return datagrams.port();
        }
        throw new IllegalArgumentException("no TCP or UDP entry point " + entryPoint);
    }

    /** The entry points served, by name, with "tcp" or "udp". */
    public Map<String, String> entryPoints() {
        Map<String, String> all = new LinkedHashMap<>();
        tcp.keySet().forEach(name -> all.put(name, "tcp"));
        udp.keySet().forEach(name -> all.put(name, "udp"));
        return all;
    }

    /** Connections open on TCP entry point {@code name} right now (for tests and metrics). */
    public int openConnections(String entryPoint) throws Exception {
        CompletableFuture<Integer> count = new CompletableFuture<>();
        reactor.execute(() -> count.complete(tcp.get(entryPoint).openSessions()));
        return count.get(5, TimeUnit.SECONDS);
    }

    /** Stops the health checks, closes every listener and connection, and stops the thread. */
    @Override
    public void close() {
        healthChecks.close();
        CompletableFuture<Void> done = new CompletableFuture<>();
        reactor.execute(() -> {
            tcp.values().forEach(TcpListener::close);
            udp.values().forEach(UdpListener::close);
            done.complete(null);
        });
        try {
            done.get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // the reactor closes whatever is left when it stops
        }
        reactor.close();
        handshakeTasks.shutdownNow();
    }

    /** Builds each service once, children before parents (validation ruled out cycles). */
    private static final class ServiceBuilder {
        private final Map<String, TcpServiceConfig> configs;
        private final Map<String, TcpServersTransportConfig> transports;
        private final TcpHealthChecks checks;
        private final Map<String, TcpService> built = new HashMap<>();
        private final Map<String, ClientTls> upstreamTls = new HashMap<>();

        ServiceBuilder(Map<String, TcpServiceConfig> configs, Map<String, TcpServersTransportConfig> transports, TcpHealthChecks checks) {
            this.configs = configs;
            this.transports = transports;
            this.checks = checks;
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
            List<TcpServer> servers = lb.servers().stream()
                    .map(s -> new TcpServer(s.address(), s.weight(), dial, s.tls() ? upstreamTls(lb) : null)).toList();
            if (lb.healthCheck() != null && checks != null) {
                checks.add(name, servers, lb.healthCheck());
            }
            return new TcpService.LoadBalancer(name, servers, lb.strategy());
        }

        /** The TLS of the load balancer's transport, built once per transport. */
        private ClientTls upstreamTls(TcpLoadBalancerConfig lb) {
            return upstreamTls.computeIfAbsent(transportName(lb), name -> {
                try {
                    return ClientTls.of(transport(lb).tls());
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
