package dev.sluice.standalone;

import dev.sluice.proxy.config.EntryPointConfig;
import dev.sluice.proxy.config.EntryPointRoles;
import dev.sluice.proxy.config.HttpTls;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.observe.metrics.OpenConnections;
import dev.sluice.proxy.runtime.SluiceRuntime;
import dev.sluice.proxy.servlet.SluiceFilter;
import dev.sluice.proxy.servlet.SluiceProxyServlet;
import dev.sluice.proxy.tls.CertificateStore;
import dev.sluice.proxy.tls.HttpsTermination;
import dev.sluice.proxy.tls.TlsProvider;
import java.util.function.Supplier;
import dev.sluice.proxy.tls.acme.AcmeResolver;
import dev.sluice.proxy.upgrade.ClientEndPoints;
import dev.sluice.relay.Relay;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sluice on embedded Jetty: one connector per HTTP entry point (HTTP/1.1 and h2c on the same port,
 * and TLS with ALPN h2 beside them when the entry point has TLS routers, see {@link TlsConnectionFactory}),
 * the {@link Relay} for TCP and UDP entry points, each HTTP entry point with its own servlet context
 * holding {@link SluiceFilter} and {@link SluiceProxyServlet}, bound to its connector by name so a
 * request only sees its entry point's routers.
 *
 * <p>{@link #reload} applies a new configuration live: routers, services and middlewares through
 * {@link SluiceRuntime#swap}, and entry points by difference: new ones start listening, removed ones
 * stop accepting and drain for their {@code graceTimeOut}, changed addresses move; an entry point
 * whose listener did not change keeps its connections, and gets the new certificates and TLS
 * options for its new handshakes.
 *
 * <p>ACME: the certificate resolvers the routers name run in {@link AcmeCertificates} (kept across
 * a reload when their configuration is the same), their certificates served by SNI for their
 * routers' hosts, HTTP-01 answered by {@link AcmeChallengeHandler}, TLS-ALPN-01 by
 * {@link TlsConnectionFactory}.
 *
 * <pre>
 * try (EmbeddedServer server = EmbeddedServer.start(config)) {
 *     int port = server.port("web");
 *     server.reload(newConfig);
 * }
 * </pre>
 */
public final class EmbeddedServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServer.class);

    private final Server server;
    private final SluiceRuntime runtime;
    private final QueuedThreadPool threads;
    private final ContextHandlerCollection contexts = new ContextHandlerCollection();
    private final HttpConfiguration http = httpConfiguration();
    /** The HTTP entry points being served; guarded by {@code this}. */
    private final Map<String, HttpEntryPoint> entryPoints = new LinkedHashMap<>();
    /** The TCP/UDP entry points, or null while the configuration has none; guarded by {@code this}. */
    private Relay relay;
    private SluiceConfig config;
    private RequestDeadlines deadlines;
    /** The ACME resolvers the routers name: certificates by host, challenges. */
    private final AcmeCertificates acme;
    /** Who runs the HTTPS entry points' handshakes (the JDK, or Conscrypt). */
    private final Supplier<TlsProvider> tlsProvider;

    private EmbeddedServer(Server server, SluiceRuntime runtime, QueuedThreadPool threads, SluiceConfig config, AcmeResolver.Options acme,
            Supplier<TlsProvider> tlsProvider) {
        this.server = server;
        this.runtime = runtime;
        this.threads = threads;
        this.config = config;
        this.acme = new AcmeCertificates(acme, new dev.sluice.proxy.observe.events.AcmeEvents(runtime.events()));
        this.tlsProvider = tlsProvider;
    }

    /** Starts serving a validated configuration. */
    public static EmbeddedServer start(SluiceConfig config) throws Exception {
        return start(config, AcmeResolver.Options.defaults());
    }

    /** Starts serving a validated configuration, its ACME resolvers with {@code acme} (a test's trust, clock, intervals). */
    public static EmbeddedServer start(SluiceConfig config, AcmeResolver.Options acme) throws Exception {
        return start(config, acme, TlsProvider.JDK);
    }

    /** As {@link #start(SluiceConfig, AcmeResolver.Options)}, the HTTPS entry points' handshakes run by {@code tlsProvider}. */
    public static EmbeddedServer start(SluiceConfig config, AcmeResolver.Options acme, TlsProvider tlsProvider) throws Exception {
        return start(config, acme, () -> tlsProvider);
    }

    /**
     * As {@link #start(SluiceConfig, AcmeResolver.Options, TlsProvider)}, the provider asked for when
     * the first HTTPS entry point opens: a configuration without one never loads another provider's
     * classes or native library.
     */
    static EmbeddedServer start(SluiceConfig config, AcmeResolver.Options acme, Supplier<TlsProvider> tlsProvider) throws Exception {
        QueuedThreadPool threads = ThreadPools.newPool();
        threads.start(); // the upstream clients share it, and start before the server does
        SluiceRuntime runtime;
        try {
            runtime = SluiceRuntime.start(config, threads);
        } catch (Exception e) {
            threads.stop();
            throw e;
        }
        Server server = new Server(threads);
        server.setStopAtShutdown(false); // Main stops it, after the accept grace period
        EmbeddedServer started = new EmbeddedServer(server, runtime, threads, config, acme, tlsProvider);
        // ACME's HTTP-01 challenges are answered before routing, and before redirections to HTTPS.
        // Then 421 for a TLS request whose Host selects other TLS options than its connection's SNI.
        // OPTIONS * and CONNECT are answered before anything routes them.
        started.deadlines = new RequestDeadlines(new RequestTargetHandler(new AcmeChallengeHandler(new MisdirectedRequestHandler(
                new GracefulHandler(started.contexts)), started.acme)), server.getScheduler());
        server.setHandler(new ExchangeEnds(started.deadlines)); // outermost: it sees every request end
        try {
            server.start();
            runtime.listeningPorts(started::listeningPort);
            runtime.tcpServerStatus(started::tcpServerStatus);
            if (runtime.metrics() != null) {
                runtime.metrics().addConnections(started::reportConnections);
            }
            synchronized (started) {
                AcmeCertificates.Pending resolvers = started.acme.prepare(config);
                try {
                    started.openEntryPoints(config, Map.of(), started.terminations(config)).run();
                } catch (Exception | Error e) {
                    resolvers.abandon();
                    throw e;
                }
                resolvers.commit();
                started.applyEntryPointSettings(config);
            }
        } catch (Exception e) {
            started.close();
            throw e;
        }
        return started;
    }

    /**
     * Serves {@code next} (validated) from now on. If it cannot be applied (a port in use, a
     * certificate that does not load), nothing changes and the failure is thrown.
     */
    public synchronized void reload(SluiceConfig next) throws Exception {
        // Certificates are read before anything changes: one that does not load fails the reload, nothing else.
        Map<String, HttpsTermination> terminations = terminations(next);
        AcmeCertificates.Pending resolvers = acme.prepare(next); // unchanged resolvers are kept, not re-ordered
        SluiceRuntime.Pending pending;
        try {
            pending = runtime.prepare(next);
        } catch (Exception | Error e) {
            resolvers.abandon();
            throw e;
        }
        Map<String, HttpEntryPoint> replaced = new LinkedHashMap<>();
        Runnable publish;
        try {
            EntryPointRoles roles = EntryPointRoles.of(next);
            entryPoints.forEach((name, current) -> {
                HttpEntryPoint.Listen wanted = roles.role(name) == EntryPointRoles.Role.HTTP
                        ? HttpEntryPoint.Listen.of(next.entryPoints().get(name), roles.shared().contains(name),
                                terminations.containsKey(name)) : null;
                if (!current.listen().equals(wanted)) {
                    replaced.put(name, current);
                }
            });
            // A listener that moves or goes stops accepting first, so a new one may take its port.
            replaced.values().forEach(HttpEntryPoint::stopAccepting);
            replaced.keySet().forEach(entryPoints::remove);
            publish = openEntryPoints(next, replaced, terminations);
        } catch (Exception | Error e) {
            pending.abandon();
            resolvers.abandon();
            restart(replaced);
            throw e;
        }
        pending.commit();
        resolvers.commit();
        publish.run();
        applyEntryPointSettings(next);
        replaced.values().forEach(old -> old.drain(server.getScheduler()));
        config = next;
    }

    /** Puts back listeners that a failed reload had stopped (their ports are free again). */
    private void restart(Map<String, HttpEntryPoint> stopped) {
        Map<String, HttpsTermination> terminations;
        try {
            terminations = stopped.isEmpty() ? Map.of() : terminations(config);
        } catch (Exception e) {
            LOG.error("entry points {} could not be restored after a failed reload: {}", stopped.keySet(), e.toString());
            return;
        }
        stopped.forEach((name, old) -> {
            try {
                HttpEntryPoint again = HttpEntryPoint.open(server, http, name, config.entryPoints().get(name), old.listen(), runtime,
                        terminations.get(name), acme);
                contexts.addHandler(again.context());
                again.start();
                entryPoints.put(name, again);
                old.drain(server.getScheduler());
            } catch (Exception e) {
                LOG.error("entry point {} could not be restored after a failed reload: {}", name, e.toString());
            }
        });
    }

    /**
     * Starts the HTTP entry points of {@code next} not served yet and brings the relay in line;
     * returns what to run once the new snapshot serves (the relay's switch to its new routes). On
     * failure, whatever it started is stopped again.
     */
    private Runnable openEntryPoints(SluiceConfig next, Map<String, HttpEntryPoint> replaced,
            Map<String, HttpsTermination> terminations) throws Exception {
        EntryPointRoles roles = EntryPointRoles.of(next);
        Map<String, HttpEntryPoint> opened = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, EntryPointConfig> e : next.entryPoints().entrySet()) {
                String name = e.getKey();
                if (roles.role(name) != EntryPointRoles.Role.HTTP) {
                    continue; // the relay's
                }
                HttpEntryPoint current = entryPoints.get(name);
                if (current != null) {
                    current.update(e.getValue(), terminations.get(name));
                    continue;
                }
                HttpEntryPoint.Listen listen = HttpEntryPoint.Listen.of(e.getValue(), roles.shared().contains(name),
                        terminations.containsKey(name));
                HttpEntryPoint entryPoint = HttpEntryPoint.open(server, http, name, e.getValue(), listen, runtime, terminations.get(name),
                        acme);
                opened.put(name, entryPoint);
                contexts.addHandler(entryPoint.context());
                entryPoint.start();
            }
            Map<String, InetSocketAddress> httpSide = new LinkedHashMap<>();
            for (String name : roles.shared()) {
                HttpEntryPoint side = opened.containsKey(name) ? opened.get(name) : entryPoints.get(name);
                httpSide.put(name, new InetSocketAddress("127.0.0.1", side.localPort()));
            }
            Runnable relaySwitch = relay(next, httpSide);
            entryPoints.putAll(opened);
            opened.forEach((name, ep) -> LOG.info("entry point {} listening on {}", name, ep.describe()));
            return relaySwitch;
        } catch (Exception | Error e) {
            opened.values().forEach(HttpEntryPoint::close);
            throw e;
        }
    }

    /**
     * The TLS of each HTTP entry point of {@code next} that has TLS routers, over one certificate
     * store read now from {@code [tls]} (so a reload also picks up certificate files that changed),
     * with the certificates of the ACME resolvers of its routers' hosts served first (looked up at each
     * handshake: one issued or renewed is served at once).
     */
    private Map<String, HttpsTermination> terminations(SluiceConfig next) throws Exception {
        HttpTls routing = HttpTls.of(next);
        EntryPointRoles roles = EntryPointRoles.of(next);
        Map<String, HttpsTermination> out = new LinkedHashMap<>();
        CertificateStore store = null;
        for (String name : next.entryPoints().keySet()) {
            if (roles.role(name) == EntryPointRoles.Role.HTTP && routing.servesTls(name)) {
                if (store == null) {
                    store = CertificateStore.load(next.tls());
                }
                out.put(name, HttpsTermination.of(next, routing, name, store, acme.lookup(routing.resolverByHost(name)), tlsProvider.get()));
            }
        }
        return out;
    }

    /**
     * {@code open_connections} of the HTTP entry points, from their connectors (a shared entry point's
     * HTTP side too: the relay hands those connections over on loopback); the relay reports its own.
     */
    private void reportConnections(OpenConnections.Sink sink) {
        Map<String, org.eclipse.jetty.server.AbstractConnector> http = new LinkedHashMap<>();
        synchronized (this) {
            entryPoints.forEach((name, ep) -> http.put(name, ep.connector()));
        }
        http.forEach((name, connector) -> sink.open(name, "TCP", connector.getConnectedEndPoints().size()));
    }

    /** The port entry point {@code name} listens on, or -1 when it does not (yet). */
    private int listeningPort(String entryPoint) {
        try {
            return port(entryPoint);
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    /** Starts, updates or stops the relay for {@code next}; returns the switch to its new routes. */
    private Runnable relay(SluiceConfig next, Map<String, InetSocketAddress> httpSide) throws Exception {
        boolean needed = Relay.needed(next);
        if (relay == null) {
            if (needed) {
                relay = Relay.start(next, Relay.Settings.DEFAULT, httpSide, runtime.sessionObservers());
            }
            return () -> {};
        }
        if (!needed) {
            Relay stopping = relay;
            return () -> {
                relay = null;
                stopping.close();
            };
        }
        return relay.prepare(next, httpSide);
    }

    /**
     * Jetty's stop waits for requests in flight up to the longest {@code graceTimeOut} of the entry
     * points; each entry point's read and write deadlines.
     */
    private void applyEntryPointSettings(SluiceConfig current) {
        Map<String, EntryPointConfig.RespondingTimeouts> timeouts = new LinkedHashMap<>();
        current.entryPoints().forEach((name, ep) -> timeouts.put(name, ep.transport().respondingTimeouts()));
        deadlines.timeouts(timeouts);
        server.setStopTimeout(current.entryPoints().values().stream()
                .map(ep -> ep.transport().lifeCycle().graceTimeOut()).max(Duration::compareTo).orElse(Duration.ofSeconds(10)).toMillis());
    }

    private static HttpConfiguration httpConfiguration() {
        HttpConfiguration http = new HttpConfiguration();
        // Requests over TLS are secure, https, and carry the client's certificates (passTLSClientCert).
        // No SNI/Host check here: a client may send another Host on a connection, as Traefik allows, unless
        // its TLS options differ (MisdirectedRequestHandler answers 421 then).
        SecureRequestCustomizer secure = new SecureRequestCustomizer(false);
        http.addCustomizer(secure);
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // A proxy forwards paths as sent (%2F, %25, ...); StaticFiles and the routing path guard their own.
        http.setUriCompliance(UriCompliance.UNSAFE);
        // RFC 9110 framing with no leniency at all: Jetty's RFC9110 mode still takes a bare LF as the end of a
        // header line, which a CRLF-only proxy in front would read as part of a value (a request smuggling
        // vector: "X: 1\nContent-Length: 41"). Such requests get 400 (src/it/RELIABILITY.md, HostileRequestTest).
        // One leniency: an absolute-form target (GET http://host/path) names the host, and its Host header is
        // to be ignored (RFC 9112 3.2.2), as Go and Traefik do; Jetty would refuse the two differing (400).
        http.setHttpCompliance(HttpCompliance.STRICT.with("sluice", HttpCompliance.Violation.MISMATCHED_AUTHORITY));
        return http;
    }

    static ServletContextHandler context(String entryPoint, SluiceRuntime runtime) {
        ServletContextHandler context = new ServletContextHandler("/");
        context.setVirtualHosts(List.of("@" + entryPoint));
        context.setAttribute(SluiceRuntime.ATTRIBUTE, runtime);
        context.setAttribute(ClientEndPoints.ATTRIBUTE, (ClientEndPoints) EmbeddedServer::upgradeTo);
        context.getServletHandler().setDecodeAmbiguousURIs(true);

        FilterHolder filter = new FilterHolder(SluiceFilter.class);
        filter.setName("sluice-" + entryPoint);
        filter.setInitParameter("entryPoint", entryPoint);
        filter.setAsyncSupported(true);
        context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));

        ServletHolder proxy = new ServletHolder("proxy-" + entryPoint, SluiceProxyServlet.class);
        proxy.setAsyncSupported(true);
        proxy.setInitOrder(0);
        context.addServlet(proxy, "/*");
        return context;
    }

    /**
     * Hands an HTTP/1.1 client connection to Sluice's tunnel once its 101 is sent: Jetty's HTTP/1.1
     * connection upgrades its endpoint to the connection named by this request attribute (as Jetty's
     * own WebSocket server does). HTTP/2 streams cannot be upgraded this way.
     */
    private static boolean upgradeTo(HttpServletRequest request, BiFunction<EndPoint, Executor, Connection> factory) {
        ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(request);
        if (jetty == null || jetty.getConnectionMetaData().getHttpVersion() != HttpVersion.HTTP_1_1) {
            return false;
        }
        EndPoint endPoint = jetty.getConnectionMetaData().getConnection().getEndPoint();
        jetty.setAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE,
                factory.apply(endPoint, jetty.getConnectionMetaData().getConnector().getExecutor()));
        return true;
    }

    /** The port entry point {@code name} actually listens on (useful with port 0); -1 for a unix socket. */
    public synchronized int port(String entryPoint) {
        if (relay != null && relay.entryPoints().containsKey(entryPoint)) {
            return relay.port(entryPoint);
        }
        HttpEntryPoint http = entryPoints.get(entryPoint);
        if (http == null) {
            throw new IllegalArgumentException("no entry point " + entryPoint);
        }
        return http.localPort();
    }

    /** The TCP connectors of the HTTP entry points, by name (unix-socket ones are in {@link #unixSockets()}). */
    public synchronized Map<String, ServerConnector> connectors() {
        Map<String, ServerConnector> connectors = new LinkedHashMap<>();
        entryPoints.forEach((name, ep) -> {
            if (ep.tcpConnector() != null) {
                connectors.put(name, ep.tcpConnector());
            }
        });
        return connectors;
    }

    /** The socket files of the HTTP entry points listening on unix sockets, by name. */
    public synchronized Map<String, java.nio.file.Path> unixSockets() {
        Map<String, java.nio.file.Path> sockets = new LinkedHashMap<>();
        entryPoints.forEach((name, ep) -> {
            if (ep.socketPath() != null) {
                sockets.put(name, ep.socketPath());
            }
        });
        return sockets;
    }

    /** The TCP and UDP entry points ({@code name -> "tcp"|"udp"}); empty when there are none. */
    public synchronized Map<String, String> relayEntryPoints() {
        return relay == null ? Map.of() : relay.entryPoints();
    }

    /** The running ACME resolver {@code name}, if a router names it. */
    public Optional<AcmeResolver> acmeResolver(String name) {
        return acme.resolver(name);
    }

    /** The health of TCP load balancer {@code service}'s servers, from the relay; empty without one. */
    private synchronized Map<String, String> tcpServerStatus(String service) {
        return relay == null ? Map.of() : relay.serverStatus(service);
    }

    public SluiceRuntime runtime() {
        return runtime;
    }

    /** The configuration being served. */
    public synchronized SluiceConfig config() {
        return config;
    }

    public void join() throws InterruptedException {
        server.join();
    }

    /**
     * Stops as Traefik does on SIGTERM: keeps accepting for the longest {@code requestAcceptGraceTimeout},
     * then stops accepting and lets requests and relayed connections in flight finish within
     * {@code graceTimeOut}, then stops. From the first moment {@code ping@internal} answers its
     * terminating status, so that a load balancer in front stops sending traffic during the grace.
     */
    public void shutdown() throws Exception {
        runtime.beginShutdown();
        Duration acceptGrace;
        synchronized (this) {
            acceptGrace = config.entryPoints().values().stream().map(ep -> ep.transport().lifeCycle().requestAcceptGraceTimeout())
                    .max(Duration::compareTo).orElse(Duration.ZERO);
        }
        if (!acceptGrace.isZero()) {
            LOG.info("stopping: still accepting for {} ms", acceptGrace.toMillis());
            TimeUnit.MILLISECONDS.sleep(acceptGrace.toMillis());
        }
        close();
    }

    /** Stops in dependency order: the server (draining requests), the upstream clients, then the threads they shared. */
    @Override
    public void close() throws Exception {
        stop(true);
    }

    /**
     * Stops at once: requests and relayed connections in flight are cut instead of given their
     * {@code graceTimeOut} (and idle keep-alive connections are not waited for). For tests, whose
     * clients hold such connections: the graceful path is tested where it is the subject.
     */
    public void closeNow() throws Exception {
        stop(false);
    }

    private void stop(boolean graceful) throws Exception {
        Relay stopping;
        synchronized (this) {
            stopping = relay;
            relay = null;
            if (!graceful) {
                server.setStopTimeout(0); // Jetty skips its graceful phase
            }
        }
        if (stopping != null) {
            if (graceful) {
                stopping.drain(Duration.ofMillis(server.getStopTimeout()));
            } else {
                stopping.close();
            }
        }
        try {
            server.stop();
        } finally {
            acme.close();
            try {
                runtime.close();
            } finally {
                threads.stop();
            }
        }
    }
}
