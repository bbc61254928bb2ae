package dev.sluice.standalone;

import dev.sluice.proxy.config.EntryPointAddress;
import dev.sluice.proxy.config.EntryPointConfig;
import dev.sluice.proxy.runtime.SluiceRuntime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import dev.sluice.proxy.tls.HttpsTermination;
import dev.sluice.relay.ClientHello;
import java.util.ArrayList;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP entry point of the embedded server: its connector (HTTP/1.1 and h2c on one port, and
 * TLS with ALPN h2 on the same port when it has TLS routers; or HTTP/1.1 and h2c on a unix-domain
 * socket, see {@link UnixSocketFile}) and its servlet context. Its {@link Listen} decides whether a reload can keep it (then only its
 * timeouts are updated) or must replace it.
 */
final class HttpEntryPoint {
    private static final Logger LOG = LoggerFactory.getLogger(HttpEntryPoint.class);

    /**
     * What the listening socket depends on.
     *
     * @param shared a TCP router shares the entry point: the relay owns the public port and hands
     *     this connector, on loopback, what no TCP router takes, with a PROXY v2 header
     * @param tls some router of the entry point is a TLS router: the connector tells TLS from plain
     *     HTTP per connection (certificates and options change without a new listener)
     * @param http3 {@code [entryPoints.NAME.http3]}, or null: an HTTP/3 listener beside a TLS one
     */
    record Listen(String address, boolean shared, EntryPointConfig.ProxyProtocolConfig proxyProtocol, boolean tls,
            EntryPointConfig.Http3Options http3) {
        static Listen of(EntryPointConfig config, boolean shared, boolean tls) {
            return new Listen(config.address(), shared, config.proxyProtocol(), tls, tls ? config.http3() : null);
        }
    }

    private final String name;
    private final Listen listen;
    private final Server server;
    /** A {@link ServerConnector}, or a {@link UnixDomainServerConnector} for a {@code unix:} address. */
    private final AbstractConnector connector;
    /** The socket file of a unix-socket entry point, else null. */
    private final UnixSocketFile socketFile;
    /** The HTTP/3 listener on the same port over UDP, or null. */
    private final Http3Listener http3;
    private final ServletContextHandler context;
    /** The TLS side of the connector, or null when it serves plain HTTP only. */
    private final TlsConnectionFactory tls;
    private volatile EntryPointConfig config;
    /** The TCP port once bound (the HTTP/3 side and its Alt-Svc use it); -1 before. */
    private int[] tcpPort = {-1};
    private CompletableFuture<Void> shutdown;

    private HttpEntryPoint(String name, Listen listen, Server server, AbstractConnector connector, UnixSocketFile socketFile,
            Http3Listener http3, ServletContextHandler context, TlsConnectionFactory tls, EntryPointConfig config) {
        this.socketFile = socketFile;
        this.http3 = http3;
        this.tls = tls;
        this.name = name;
        this.listen = listen;
        this.server = server;
        this.connector = connector;
        this.context = context;
        this.config = config;
    }

    /**
     * A new entry point, not started.
     *
     * @param termination its TLS when {@code listen.tls()}, else null
     */
    static HttpEntryPoint open(Server server, HttpConfiguration http, String name, EntryPointConfig config, Listen listen,
            SluiceRuntime runtime, HttpsTermination termination, AcmeCertificates acme) throws Exception {
        EntryPointAddress address = EntryPointAddress.parse(config.address());
        Http3Listener http3 = null;
        int[] tcpPort = {-1};
        if (listen.http3() != null && !address.isUnix() && termination != null) {
            Integer advertised = listen.http3().advertisedPort();
            http = new HttpConfiguration(http);
            http.addCustomizer(Http3Listener.altSvc(() -> advertised != null && advertised > 0 ? advertised : tcpPort[0]));
            http3 = Http3Listener.create(server, http, name, listen.shared() ? null : address.host(), termination.primaryCertificate());
        }
        if (address.isUnix()) {
            // Without a Host (h2c prior knowledge, HTTP/1.0) Jetty makes the authority from the local
            // address, which for a unix socket is a file path and no authority: say "localhost" instead.
            http = new HttpConfiguration(http);
            http.setServerAuthority(new org.eclipse.jetty.util.HostPort("localhost"));
        }
        HttpConnectionFactory http1 = new HttpConnectionFactory(http);
        List<ConnectionFactory> factories = new ArrayList<>();
        TlsConnectionFactory tls = null;
        String first = http1.getProtocol();
        if (listen.tls()) {
            // One port for both, as Traefik: a ClientHello goes to TLS (then ALPN: h2 or HTTP/1.1), anything else to HTTP/1.1.
            tls = new TlsConnectionFactory(http1.getProtocol(), termination, acme::challengeCertificate);
            DetectorConnectionFactory detector = new DetectorConnectionFactory(tls);
            detector.setInputBufferSize(ClientHello.MAX_HANDSHAKE + 1024); // room for a whole ClientHello and its record headers
            factories.add(detector);
            first = detector.getProtocol();
        }
        // A shared entry point's public port is the relay's; it hands the connections no TCP router
        // takes to this connector, on loopback, announcing the client in a PROXY v2 header.
        EntryPointConfig.ProxyProtocolConfig proxy = listen.shared()
                ? new EntryPointConfig.ProxyProtocolConfig(List.of("127.0.0.1/32", "::1/128"), false)
                : config.proxyProtocol();
        if (proxy.enabled()) {
            factories.add(0, new TrustedProxyConnectionFactory(first, proxy));
        }
        factories.add(http1);
        HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory(http);
        // No RFC 8441 (WebSocket over HTTP/2) announced: Sluice tunnels HTTP/1.1 upgrades only, and
        // clients fall back to them when the server does not offer extended CONNECT.
        h2c.setConnectProtocolEnabled(false);
        factories.add(h2c);
        if (tls != null) {
            // ALPN itself is the TLS factory's, per host's options; what it negotiates is looked up here.
            HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
            h2.setConnectProtocolEnabled(false);
            factories.add(h2);
        }
        AbstractConnector connector;
        UnixSocketFile socketFile = null;
        if (address.isUnix()) {
            UnixDomainServerConnector unix = new UnixDomainServerConnector(server, factories.toArray(ConnectionFactory[]::new));
            unix.setUnixDomainPath(address.unix());
            unix.setAcceptQueueSize(1024);
            socketFile = new UnixSocketFile(address.unix());
            connector = unix;
        } else {
            ServerConnector tcp = new ServerConnector(server, factories.toArray(ConnectionFactory[]::new));
            tcp.setHost(listen.shared() ? "127.0.0.1" : address.host());
            tcp.setPort(listen.shared() ? 0 : address.port());
            // Jetty's default listen backlog is 50: a burst of new (TLS) connections overflowed it and the
            // kernel dropped SYNs; 1024 as the relay's listeners (nginx and HAProxy use more).
            tcp.setAcceptQueueSize(1024);
            connector = tcp;
        }
        connector.setName(name);
        HttpEntryPoint entryPoint = new HttpEntryPoint(name, listen, server, connector, socketFile, http3,
                EmbeddedServer.context(name, runtime), tls, config);
        entryPoint.tcpPort = tcpPort;
        entryPoint.update(config, termination);
        return entryPoint;
    }

    Listen listen() {
        return listen;
    }

    /** The connector: a {@link ServerConnector}, or a {@link UnixDomainServerConnector} for a unix socket. */
    AbstractConnector connector() {
        return connector;
    }

    /** The TCP connector, or null for a unix socket. */
    ServerConnector tcpConnector() {
        return connector instanceof ServerConnector tcp ? tcp : null;
    }

    /** The socket file, or null when the entry point listens on TCP. */
    java.nio.file.Path socketPath() {
        return socketFile == null ? null : socketFile.path();
    }

    /** The port it listens on; -1 for a unix socket. */
    int localPort() {
        return connector instanceof ServerConnector tcp ? tcp.getLocalPort() : -1;
    }

    ServletContextHandler context() {
        return context;
    }

    /** Binds and starts accepting; the context must already be in the server's handlers. */
    void start() throws Exception {
        if (!context.isStarted()) {
            context.start();
        }
        if (socketFile != null) {
            socketFile.removeStale();
        }
        server.addConnector(connector);
        try {
            connector.start();
            if (socketFile != null) {
                socketFile.mode(config.unixSocket().permissions());
            }
            if (http3 != null) {
                tcpPort[0] = localPort();
                // The public port: a shared entry point's TCP side is the relay's, on the configured port.
                int udp = listen.shared() ? EntryPointAddress.parse(listen.address()).port() : tcpPort[0];
                http3.start(udp);
                tcpPort[0] = http3.localPort();
                LOG.info("entry point {}: HTTP/3 on UDP port {}", name, http3.localPort());
            }
        } catch (Exception | Error e) {
            if (http3 != null) {
                http3.stop();
            }
            server.removeConnector(connector);
            connector.stop();
            throw e;
        }
    }

    /** Applies what can change on a live listener: timeouts, and the certificates and TLS options of new handshakes. */
    void update(EntryPointConfig newConfig, HttpsTermination termination) {
        config = newConfig;
        if (tls != null && termination != null) {
            tls.termination(termination);
        }
        connector.setIdleTimeout(newConfig.transport().respondingTimeouts().idleTimeout().toMillis());
        if (http3 != null) {
            http3.setIdleTimeout(newConfig.transport().respondingTimeouts().idleTimeout().toMillis());
        }
        if (socketFile != null && connector.isStarted()) {
            try {
                socketFile.mode(newConfig.unixSocket().permissions());
            } catch (java.io.IOException e) {
                LOG.warn("entry point {}: cannot set the mode of {}: {}", name, socketFile.path(), e.toString());
            }
        }
    }

    /** Closes the listening socket; connections already accepted go on. */
    void stopAccepting() {
        shutdown = connector.shutdown();
        if (http3 != null) {
            http3.connector().shutdown();
        }
    }

    /**
     * After {@link #stopAccepting()}: lets the connections finish within the entry point's
     * {@code graceTimeOut}, then stops the connector and its context.
     */
    void drain(Scheduler scheduler) {
        long grace = config.transport().lifeCycle().graceTimeOut().toMillis();
        CompletableFuture<Void> done = shutdown == null ? CompletableFuture.completedFuture(null) : shutdown;
        scheduler.schedule(() -> done.complete(null), grace, TimeUnit.MILLISECONDS);
        done.whenComplete((ok, failure) -> close());
    }

    /** Stops at once: connections are closed. */
    void close() {
        if (http3 != null) {
            http3.stop();
        }
        try {
            connector.stop();
        } catch (Exception e) {
            LOG.warn("entry point {}: stopping its connector failed", name, e);
        }
        server.removeConnector(connector);
        ContextHandlerCollection all = server.getDescendant(ContextHandlerCollection.class);
        if (all != null) {
            all.removeHandler(context);
        }
        try {
            context.stop();
        } catch (Exception e) {
            LOG.warn("entry point {}: stopping its context failed", name, e);
        }
    }

    String describe() {
        if (socketFile != null) {
            return EntryPointAddress.UNIX + socketFile.path();
        }
        ServerConnector tcp = (ServerConnector) connector;
        return (tcp.getHost() == null ? "*" : tcp.getHost()) + ":" + tcp.getLocalPort();
    }
}
