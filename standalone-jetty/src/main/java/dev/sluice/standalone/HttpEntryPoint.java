package dev.sluice.standalone;

import dev.sluice.proxy.config.EntryPointAddress;
import dev.sluice.proxy.config.EntryPointConfig;
import dev.sluice.proxy.runtime.SluiceRuntime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP entry point of the embedded server: its connector (HTTP/1.1 and h2c on one port) and
 * its servlet context. Its {@link Listen} decides whether a reload can keep it (then only its
 * timeouts are updated) or must replace it.
 */
final class HttpEntryPoint {
    private static final Logger LOG = LoggerFactory.getLogger(HttpEntryPoint.class);

    /**
     * What the listening socket depends on.
     *
     * @param shared a TCP router shares the entry point: the relay owns the public port and hands
     *     this connector, on loopback, what no TCP router takes, with a PROXY v2 header
     */
    record Listen(String address, boolean shared, EntryPointConfig.ProxyProtocolConfig proxyProtocol) {
        static Listen of(EntryPointConfig config, boolean shared) {
            return new Listen(config.address(), shared, config.proxyProtocol());
        }
    }

    private final String name;
    private final Listen listen;
    private final Server server;
    private final ServerConnector connector;
    private final ServletContextHandler context;
    private volatile EntryPointConfig config;
    private CompletableFuture<Void> shutdown;

    private HttpEntryPoint(String name, Listen listen, Server server, ServerConnector connector, ServletContextHandler context,
            EntryPointConfig config) {
        this.name = name;
        this.listen = listen;
        this.server = server;
        this.connector = connector;
        this.context = context;
        this.config = config;
    }

    /** A new entry point, not started. */
    static HttpEntryPoint open(Server server, HttpConfiguration http, String name, EntryPointConfig config, Listen listen,
            SluiceRuntime runtime) {
        EntryPointAddress address = EntryPointAddress.parse(config.address());
        HttpConnectionFactory http1 = new HttpConnectionFactory(http);
        // A shared entry point's public port is the relay's; it hands the connections no TCP router
        // takes to this connector, on loopback, announcing the client in a PROXY v2 header.
        EntryPointConfig.ProxyProtocolConfig proxy = listen.shared()
                ? new EntryPointConfig.ProxyProtocolConfig(List.of("127.0.0.1/32", "::1/128"), false)
                : config.proxyProtocol();
        ServerConnector connector = proxy.enabled()
                ? new ServerConnector(server, new TrustedProxyConnectionFactory(http1.getProtocol(), proxy),
                        http1, new HTTP2CServerConnectionFactory(http))
                : new ServerConnector(server, http1, new HTTP2CServerConnectionFactory(http));
        connector.setName(name);
        connector.setHost(listen.shared() ? "127.0.0.1" : address.host());
        connector.setPort(listen.shared() ? 0 : address.port());
        HttpEntryPoint entryPoint = new HttpEntryPoint(name, listen, server, connector, EmbeddedServer.context(name, runtime), config);
        entryPoint.update(config);
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

    /** Applies what can change on a live listener. */
    void update(EntryPointConfig newConfig) {
        config = newConfig;
        connector.setIdleTimeout(newConfig.transport().respondingTimeouts().idleTimeout().toMillis());
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
