package dev.sluice.standalone;

import dev.sluice.proxy.config.EntryPointAddress;
import dev.sluice.proxy.config.EntryPointConfig;
import dev.sluice.proxy.config.EntryPointRoles;
import dev.sluice.relay.Relay;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.runtime.SluiceRuntime;
import dev.sluice.proxy.servlet.SluiceFilter;
import dev.sluice.proxy.servlet.SluiceProxyServlet;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Sluice on embedded Jetty: one connector per HTTP entry point (HTTP/1.1 and h2c on the same port),
 * the {@link Relay} for TCP and UDP entry points,
 * each with its own servlet context holding {@link SluiceFilter} and {@link SluiceProxyServlet}, bound
 * to its connector by name so a request only sees its entry point's routers.
 *
 * <pre>
 * try (EmbeddedServer server = EmbeddedServer.start(config)) {
 *     int port = server.port("web");
 * }
 * </pre>
 */
public final class EmbeddedServer implements AutoCloseable {
    private final Server server;
    private final SluiceRuntime runtime;
    private final QueuedThreadPool threads;
    private final Map<String, ServerConnector> connectors;
    /** The TCP/UDP entry points, or null when the configuration has none. */
    private Relay relay;

    private EmbeddedServer(Server server, SluiceRuntime runtime, QueuedThreadPool threads, Map<String, ServerConnector> connectors) {
        this.server = server;
        this.runtime = runtime;
        this.threads = threads;
        this.connectors = connectors;
    }

    /** Starts serving a validated configuration. */
    public static EmbeddedServer start(SluiceConfig config) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("sluice");
        threads.start(); // the upstream clients share it, and start before the server does
        SluiceRuntime runtime;
        try {
            runtime = SluiceRuntime.start(config, threads);
        } catch (Exception e) {
            threads.stop();
            throw e;
        }
        Server server = new Server(threads);
        server.setStopTimeout(10_000); // Traefik's graceTimeOut: in-flight requests get 10 s to finish
        server.setStopAtShutdown(true);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // A proxy forwards paths as sent (%2F, %25, ...); StaticFiles and the routing path guard their own.
        http.setUriCompliance(UriCompliance.UNSAFE);

        Map<String, ServerConnector> connectors = new LinkedHashMap<>();
        ContextHandlerCollection contexts = new ContextHandlerCollection();
        EntryPointRoles roles = EntryPointRoles.of(config);
        config.entryPoints().forEach((name, entryPoint) -> {
            if (roles.role(name) != EntryPointRoles.Role.HTTP) {
                return; // the relay's
            }
            EntryPointAddress address = EntryPointAddress.parse(entryPoint.address());
            HttpConnectionFactory http1 = new HttpConnectionFactory(http);
            boolean shared = roles.shared().contains(name);
            // A shared entry point's public port is the relay's; it hands the connections no TCP router
            // takes to this connector, on loopback, announcing the client in a PROXY v2 header.
            EntryPointConfig.ProxyProtocolConfig proxy = shared
                    ? new EntryPointConfig.ProxyProtocolConfig(List.of("127.0.0.1/32", "::1/128"), false)
                    : entryPoint.proxyProtocol();
            ServerConnector connector = proxy.enabled()
                    ? new ServerConnector(server, new TrustedProxyConnectionFactory(http1.getProtocol(), proxy),
                            http1, new HTTP2CServerConnectionFactory(http))
                    : new ServerConnector(server, http1, new HTTP2CServerConnectionFactory(http));
            connector.setName(name);
            connector.setIdleTimeout(entryPoint.transport().respondingTimeouts().idleTimeout().toMillis());
            connector.setHost(shared ? "127.0.0.1" : address.host());
            connector.setPort(shared ? 0 : address.port());
            server.addConnector(connector);
            connectors.put(name, connector);
            contexts.addHandler(context(name, runtime));
        });
        server.setHandler(new GracefulHandler(contexts));
        EmbeddedServer started = new EmbeddedServer(server, runtime, threads, connectors);
        try {
            server.start();
            if (Relay.needed(config)) {
                Map<String, InetSocketAddress> httpSide = new LinkedHashMap<>();
                for (String name : roles.shared()) {
                    httpSide.put(name, new InetSocketAddress("127.0.0.1", connectors.get(name).getLocalPort()));
                }
                started.relay = Relay.start(config, Relay.Settings.DEFAULT, httpSide);
            }
        } catch (Exception e) {
            started.close();
            throw e;
        }
        return started;
    }

    private static ServletContextHandler context(String entryPoint, SluiceRuntime runtime) {
        ServletContextHandler context = new ServletContextHandler("/");
        context.setVirtualHosts(List.of("@" + entryPoint));
        context.setAttribute(SluiceRuntime.ATTRIBUTE, runtime);
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

    /** The port entry point {@code name} actually listens on (useful with port 0). */
    public int port(String entryPoint) {
        if (relay != null && relay.entryPoints().containsKey(entryPoint)) {
            return relay.port(entryPoint);
        }
        ServerConnector connector = connectors.get(entryPoint);
        if (connector == null) {
            throw new IllegalArgumentException("no entry point " + entryPoint);
        }
        return connector.getLocalPort();
    }

    public Map<String, ServerConnector> connectors() {
        return connectors;
    }

    /** The TCP and UDP entry points ({@code name -> "tcp"|"udp"}); empty when there are none. */
    public Map<String, String> relayEntryPoints() {
        return relay == null ? Map.of() : relay.entryPoints();
    }

    public SluiceRuntime runtime() {
        return runtime;
    }

    public void join() throws InterruptedException {
        server.join();
    }

    /** Stops in dependency order: the server (draining requests), the upstream clients, then the threads they shared. */
    @Override
    public void close() throws Exception {
        if (relay != null) {
            relay.close();
        }
        try {
            server.stop();
        } finally {
            try {
                runtime.close();
            } finally {
                threads.stop();
            }
        }
    }
}
