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
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP entry point of the embedded server: its connector (HTTP/1.1 and h2c on one port, and
 * TLS with ALPN h2 on the same port when it has TLS routers) and its servlet context. Its {@link Listen} decides whether a reload can keep it (then only its
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
     */
    record Listen(String address, boolean shared, EntryPointConfig.ProxyProtocolConfig proxyProtocol, boolean tls) {
        static Listen of(EntryPointConfig config, boolean shared, boolean tls) {
            return new Listen(config.address(), shared, config.proxyProtocol(), tls);
        }
    }

    private final String name;
    private final Listen listen;
    private final Server server;
    private final ServerConnector connector;
    private final HeadDeadlineConnectionFactory http1;
    private final ServletContextHandler context;
    /** The TLS side of the connector, or null when it serves plain HTTP only. */
    private final TlsConnectionFactory tls;
    private volatile EntryPointConfig config;
    private CompletableFuture<Void> shutdown;

    private HttpEntryPoint(String name, Listen listen, Server server, ServerConnector connector, HeadDeadlineConnectionFactory http1,
            ServletContextHandler context, TlsConnectionFactory tls, EntryPointConfig config) {
        this.tls = tls;
        this.http1 = http1;
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
            SluiceRuntime runtime, HttpsTermination termination, AcmeCertificates acme) {
        EntryPointAddress address = EntryPointAddress.parse(config.address());
        HeadDeadlineConnectionFactory http1 = new HeadDeadlineConnectionFactory(http);
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
        factories.add(new HTTP2CServerConnectionFactory(http));
        if (tls != null) {
            // ALPN itself is the TLS factory's, per host's options; what it negotiates is looked up here.
            factories.add(new HTTP2ServerConnectionFactory(http));
        }
        ServerConnector connector = new ServerConnector(server, factories.toArray(ConnectionFactory[]::new));
        connector.setName(name);
        connector.setHost(listen.shared() ? "127.0.0.1" : address.host());
        connector.setPort(listen.shared() ? 0 : address.port());
        // Jetty's default listen backlog is 50: a burst of new (TLS) connections overflowed it and the
        // kernel dropped SYNs; 1024 as the relay's listeners (nginx and HAProxy use more).
        connector.setAcceptQueueSize(1024);
        HttpEntryPoint entryPoint = new HttpEntryPoint(name, listen, server, connector, http1, EmbeddedServer.context(name, runtime), tls,
                config);
        entryPoint.update(config, termination);
        return entryPoint;
    }

    Listen listen() {
        return listen;
    }

    ServerConnector connector() {
        return connector;
    }

    ServletContextHandler context() {
        return context;
    }

    /** Binds and starts accepting; the context must already be in the server's handlers. */
    void start() throws Exception {
        if (!context.isStarted()) {
            context.start();
        }
        server.addConnector(connector);
        connector.start();
    }

    /** Applies what can change on a live listener: timeouts, and the certificates and TLS options of new handshakes. */
    void update(EntryPointConfig newConfig, HttpsTermination termination) {
        config = newConfig;
        if (tls != null && termination != null) {
            tls.termination(termination);
        }
        connector.setIdleTimeout(newConfig.transport().respondingTimeouts().idleTimeout().toMillis());
        http1.readTimeout(newConfig.transport().respondingTimeouts().readTimeout());
    }

    /** Closes the listening socket; connections already accepted go on. */
    void stopAccepting() {
        shutdown = connector.shutdown();
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
        return (connector.getHost() == null ? "*" : connector.getHost()) + ":" + connector.getLocalPort();
    }
}
