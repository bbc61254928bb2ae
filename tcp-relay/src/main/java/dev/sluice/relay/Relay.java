package dev.sluice.relay;

import dev.sluice.proxy.config.EntryPointAddress;
import dev.sluice.proxy.runtime.Carryover;
import dev.sluice.proxy.config.EntryPointConfig;
import dev.sluice.proxy.config.EntryPointRoles;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.observe.SessionObserver;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
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
    private final Settings settings;
    /** Told of every connection and UDP session, on the reactor thread. */
    private final SessionObserver sessions;
    /** Written on the reactor thread; read anywhere (ports, tests). */
    private final Map<String, TcpListener> tcp = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, UdpListener> udp = new java.util.concurrent.ConcurrentHashMap<>();
    private final ExecutorService handshakeTasks;
    /** Listeners a reload removed, whose connections may still run for their grace time; reactor thread. */
    private final java.util.Set<TcpListener> draining = new java.util.HashSet<>();
    /** The health checks of the routes being served; guarded by {@code this}. */
    private TcpHealthChecks healthChecks;
    /** What the served routes hold that the next configuration may take over; guarded by {@code this}. */
    private Carryover committed = Carryover.first();
    private SluiceConfig config;

    private Relay(Reactor reactor, Settings settings, ExecutorService handshakeTasks, SessionObserver sessions) {
        this.sessions = sessions;
        this.reactor = reactor;
        this.settings = settings;
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
        return start(config, settings, httpSide, SessionObserver.NONE);
    }

    /**
     * As {@link #start(SluiceConfig, Settings, Map)}, telling {@code sessions} of every TCP
     * connection and UDP session (on the relay's thread: it must not block), across reloads.
     */
    public static Relay start(SluiceConfig config, Settings settings, Map<String, InetSocketAddress> httpSide, SessionObserver sessions)
            throws IOException {
        Relay relay = new Relay(new Reactor("sluice-relay"), settings, handshakeExecutor(), sessions);
        Runnable serve;
        try {
            serve = relay.prepare(config, httpSide);
        } catch (IOException | RuntimeException e) {
            relay.reactor.close();
            relay.handshakeTasks.shutdownNow();
            throw e;
        }
        relay.reactor.start();
        serve.run();
        return relay;
    }

    /**
     * Prepares serving {@code next}: builds its routes and services (taking over the servers, their
     * health and connection counts, the middlewares and the TLS contexts whose configuration did not
     * change) and binds the entry points it adds or moves. Nothing changes for traffic until the
     * returned switch runs; if preparing fails, what it opened is closed and the failure thrown.
     *
     * <p>The switch gives new connections the new routes; established connections keep the route,
     * service and server they were relayed with. Entry points that go (or move) stop accepting and
     * their connections get the entry point's {@code graceTimeOut} to end.
     */
    public synchronized Runnable prepare(SluiceConfig next, Map<String, InetSocketAddress> httpSide) throws IOException {
        Carryover carryover = committed.next();
        EntryPointRoles roles = EntryPointRoles.of(next);
        TcpHealthChecks checks = new TcpHealthChecks(reactor, handshakeTasks);
        Map<String, ServerSocketChannel> bound = new LinkedHashMap<>();
        Map<String, DatagramChannel> boundUdp = new LinkedHashMap<>();
        try {
            Generation generation = Generation.build(next, roles, httpSide, checks, carryover);
            for (String name : generation.tcpEntryPoints()) {
                TcpListener current = tcp.get(name);
                if (current == null || !current.address().equals(next.entryPoints().get(name).address())) {
                    bound.put(name, bindTcp(next.entryPoints().get(name).address()));
                }
            }
            for (String name : roles.all(EntryPointRoles.Role.UDP)) {
                UdpListener current = udp.get(name);
                if (current == null || !current.address().equals(next.entryPoints().get(name).address())) {
                    DatagramChannel channel = DatagramChannel.open();
                    boundUdp.put(name, channel);
                    channel.bind(socketAddress(next.entryPoints().get(name).address()));
                }
            }
            return () -> onReactor(() -> serve(next, generation, bound, boundUdp, checks, carryover));
        } catch (IOException | RuntimeException e) {
            bound.values().forEach(Relay::closeQuietly);
            boundUdp.values().forEach(Relay::closeQuietly);
            carryover.abandon();
            throw e;
        }
    }

    /** The generation serving, for {@link #serverStatus}; written on the reactor thread, read by the API's. */
    private volatile Generation serving;

    /** Each server of TCP load balancer {@code service} of the routes serving, {@code UP} or {@code DOWN} (the API's serverStatus). */
    public Map<String, String> serverStatus(String service) {
        Generation generation = serving;
        return generation == null ? Map.of() : generation.serverStatus(service);
    }

    /** The switch of {@link #prepare}; reactor thread. */
    private void serve(SluiceConfig next, Generation generation, Map<String, ServerSocketChannel> bound,
            Map<String, DatagramChannel> boundUdp, TcpHealthChecks checks, Carryover carryover) {
        serving = generation;
        for (Map.Entry<String, TcpListener> e : List.copyOf(tcp.entrySet())) {
            if (!generation.tcpEntryPoints().contains(e.getKey()) || bound.containsKey(e.getKey())) {
                tcp.remove(e.getKey());
                TcpListener retired = e.getValue();
                retired.stopAccepting();
                draining.add(retired);
                long grace = config.entryPoints().get(e.getKey()).transport().lifeCycle().graceTimeOut().toMillis();
                reactor.schedule(grace, () -> {
                    draining.remove(retired);
                    retired.close();
                });
            }
        }
        for (String name : generation.tcpEntryPoints()) {
            EntryPointConfig ep = next.entryPoints().get(name);
            TcpListener.Spec spec = TcpListener.Spec.of(ep);
            TcpRoutes routes = generation.routes(name);
            ServerSocketChannel channel = bound.get(name);
            if (channel == null) {
                tcp.get(name).update(routes, spec);
                continue;
            }
            TcpListener listener = new TcpListener(name, ep.address(), channel, reactor, routes, settings, spec, handshakeTasks,
                    sessions);
            try {
                listener.register();
                tcp.put(name, listener);
                LOG.info("entry point {} (tcp) listening on port {}", name, listener.port());
            } catch (IOException e) {
                LOG.error("entry point {}: cannot serve: {}", name, e.toString());
                closeQuietly(channel);
            }
        }
        List<String> udpEntryPoints = EntryPointRoles.of(next).all(EntryPointRoles.Role.UDP);
        for (Map.Entry<String, UdpListener> e : List.copyOf(udp.entrySet())) {
            if (!udpEntryPoints.contains(e.getKey()) || boundUdp.containsKey(e.getKey())) {
                udp.remove(e.getKey());
                e.getValue().close();
            }
        }
        for (String name : udpEntryPoints) {
            EntryPointConfig ep = next.entryPoints().get(name);
            DatagramChannel channel = boundUdp.get(name);
            if (channel == null) {
                udp.get(name).update(generation.udpService(name), ep.udp().timeout().toMillis());
                continue;
            }
            UdpListener listener = new UdpListener(name, ep.address(), channel, reactor, generation.udpService(name),
                    ep.udp().timeout().toMillis(), settings.maxUdpSessions(), sessions);
            try {
                listener.register();
                udp.put(name, listener);
                LOG.info("entry point {} (udp) listening on port {}", name, listener.port());
            } catch (IOException e) {
                LOG.error("entry point {}: cannot serve: {}", name, e.toString());
                closeQuietly(channel);
            }
        }
        SluiceConfig previous;
        synchronized (this) {
            if (healthChecks != null) {
                healthChecks.close();
            }
            previous = config;
            healthChecks = checks;
            committed = carryover;
            config = next;
        }
        checks.start();
        carryover.retirePrevious();
        if (previous != null) {
            LOG.info("TCP/UDP routes reloaded");
        }
    }

    /** Runs {@code task} on the reactor thread and waits for its result (the relay's state is the reactor's alone). */
    private <T> T onReactor(java.util.function.Supplier<T> task) {
        CompletableFuture<T> done = new CompletableFuture<>();
        reactor.execute(() -> {
            try {
                done.complete(task.get());
            } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
            }
        });
        try {
            return done.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the relay", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the relay's thread did not answer: " + e.getMessage(), e);
        }
    }

    private void onReactor(Runnable task) {
        onReactor(() -> {
            task.run();
            return null;
        });
    }

    private static ServerSocketChannel bindTcp(String address) throws IOException {
        InetSocketAddress bindAddress = socketAddress(address);
        // An IPv4 address gets an IPv4 socket; a wildcard keeps the JDK's dual-stack one.
        ServerSocketChannel channel = bindAddress.getAddress() instanceof Inet4Address ipv4 && !ipv4.isAnyLocalAddress()
                ? ServerSocketChannel.open(StandardProtocolFamily.INET) : ServerSocketChannel.open();
        try {
            channel.bind(bindAddress, 1024);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new java.net.BindException("entry point address " + address + ": " + e.getMessage());
        }
        return channel;
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
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

    static InetSocketAddress socketAddress(String address) {
        EntryPointAddress parsed = EntryPointAddress.parse(address);
        return parsed.host() == null ? new InetSocketAddress(parsed.port()) : new InetSocketAddress(parsed.host(), parsed.port());
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
    public int openConnections(String entryPoint) {
        return onReactor(() -> tcp.get(entryPoint).openSessions());
    }

    /** Client sessions open on UDP entry point {@code name} right now (for tests and metrics). */
    public int openSessions(String entryPoint) {
        return onReactor(() -> udp.get(entryPoint).sessions());
    }

    /**
     * Stops accepting on every entry point, lets relayed connections end by themselves within
     * {@code grace}, then closes what is left (SIGTERM).
     */
    public void drain(java.time.Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            onReactor(() -> {
                tcp.values().forEach(TcpListener::stopAccepting);
                udp.values().forEach(UdpListener::close);
            });
            while (System.nanoTime() - deadline < 0 && openConnections() > 0) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException e) {
            LOG.debug("relay drain cut short: {}", e.getMessage());
        }
        close();
    }

    /** Connections open on every TCP entry point, draining ones included. */
    private int openConnections() {
        return onReactor(() -> tcp.values().stream().mapToInt(TcpListener::openSessions).sum()
                + draining.stream().mapToInt(TcpListener::openSessions).sum());
    }

    /** Stops the health checks, closes every listener and connection, and stops the thread. */
    @Override
    public void close() {
        synchronized (this) {
            if (healthChecks != null) {
                healthChecks.close();
            }
        }
        try {
            onReactor(() -> {
                tcp.values().forEach(TcpListener::close);
                udp.values().forEach(UdpListener::close);
                List.copyOf(draining).forEach(TcpListener::close);
            });
        } catch (IllegalStateException ignored) {
            // the reactor closes whatever is left when it stops
        }
        reactor.close();
        handshakeTasks.shutdownNow();
    }
}
