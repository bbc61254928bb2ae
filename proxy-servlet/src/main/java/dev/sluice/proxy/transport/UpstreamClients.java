package dev.sluice.proxy.transport;

import dev.sluice.proxy.config.ServersTransportConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import dev.sluice.proxy.runtime.Carryover;
import java.util.concurrent.Executor;
import org.eclipse.jetty.client.ContinueProtocolHandler;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpClientTransport;
import org.eclipse.jetty.client.RedirectProtocolHandler;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Jetty {@link HttpClient} per {@code serversTransport}, shared by every service that names it;
 * {@code default} always exists. Each client speaks HTTP/1.1 and HTTP/2 (h2 over TLS by ALPN, h2c by
 * prior knowledge when a request asks for HTTP/2), pools connections with keep-alive, and does
 * nothing a proxy must not: no cookie store, no redirect following, no content decoding, no
 * User-Agent of its own.
 */
public final class UpstreamClients implements AutoCloseable {
    public static final String DEFAULT = "default";
    /** Request attribute holding a {@link Runnable} to run when the server answers 100 Continue. */
    public static final String CONTINUE_ACTION = UpstreamClients.class.getName() + ".continue";

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamClients.class);

    private final Map<String, HttpClient> clients;
    private final Map<String, ServersTransportConfig> configs;
    /** Owns the clients when this instance started them itself; null when a runtime's carryover does. */
    private final Carryover owner;

    private UpstreamClients(Map<String, HttpClient> clients, Map<String, ServersTransportConfig> configs, Carryover owner) {
        this.clients = clients;
        this.configs = configs;
        this.owner = owner;
    }

    /** Starts one client per transport, plus {@code default} if the config does not define it, each with its own threads. */
    public static UpstreamClients start(Map<String, ServersTransportConfig> transports) throws Exception {
        return start(transports, null);
    }

    /**
     * As {@link #start(Map)}, running the clients on {@code executor} (the server's thread pool when
     * Sluice owns the server: one pool instead of one per client keeps threads and context switches
     * down), or on their own pools when {@code executor} is null. {@link #close()} stops them.
     */
    public static UpstreamClients start(Map<String, ServersTransportConfig> transports, Executor executor) throws Exception {
        Carryover own = Carryover.first();
        try {
            return build(transports, executor, own, own);
        } catch (Exception | Error e) {
            own.abandon();
            throw e;
        }
    }

    /**
     * The clients of one snapshot: a transport whose configuration is unchanged keeps the previous
     * snapshot's client, with its pooled connections; a new or changed one gets a new client. The
     * carryover owns them: the ones a later snapshot drops stop once their last exchange is over.
     */
    public static UpstreamClients build(Map<String, ServersTransportConfig> transports, Executor executor, Carryover carryover) {
        try {
            return build(transports, executor, carryover, null);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start upstream client: " + e.getMessage(), e);
        }
    }

    private static UpstreamClients build(Map<String, ServersTransportConfig> transports, Executor executor, Carryover carryover,
            Carryover owner) throws Exception {
        Map<String, ServersTransportConfig> all = new LinkedHashMap<>(transports);
        all.putIfAbsent(DEFAULT, ServersTransportConfig.DEFAULT);
        Map<String, HttpClient> clients = new LinkedHashMap<>();
        for (Map.Entry<String, ServersTransportConfig> e : all.entrySet()) {
            RetiringClient client = carryover.keep(new Key(e.getKey(), e.getValue(), executor), () -> {
                try {
                    return new RetiringClient(newClient(e.getKey(), e.getValue(), executor));
                } catch (Exception failure) {
                    throw new IllegalStateException("http.serversTransports." + e.getKey() + ": " + failure.getMessage(), failure);
                }
            });
            clients.put(e.getKey(), client.client());
        }
        return new UpstreamClients(clients, all, owner);
    }

    /** What a client's behaviour depends on: its transport's name and configuration, and the threads it runs on. */
    private record Key(String transport, ServersTransportConfig config, Executor executor) {}

    /** The client of transport {@code name}, falling back to {@code default}. */
    public HttpClient get(String name) {
        HttpClient client = name == null ? null : clients.get(name);
        return client != null ? client : clients.get(DEFAULT);
    }

    /** Time allowed for response headers once the request is sent, for transport {@code name}; 0 = none. */
    public java.time.Duration responseHeaderTimeout(String name) {
        ServersTransportConfig config = name == null ? null : configs.get(name);
        return (config != null ? config : configs.get(DEFAULT)).forwardingTimeouts().responseHeaderTimeout();
    }

    /** How long an upgraded connection of transport {@code name} may carry nothing before it is closed; 0 = never. */
    public java.time.Duration tunnelIdleTimeout(String name) {
        ServersTransportConfig config = name == null ? null : configs.get(name);
        return (config != null ? config : configs.get(DEFAULT)).forwardingTimeouts().tunnelIdleTimeout();
    }

    private static HttpClient newClient(String name, ServersTransportConfig config, Executor executor) throws Exception {
        ServersTransportConfig.ForwardingTimeouts timeouts = config.forwardingTimeouts();
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        connector.setConnectTimeout(timeouts.dialTimeout());
        connector.setIdleTimeout(timeouts.idleConnTimeout());
        connector.setTCPNoDelay(true);
        connector.setSslContextFactory(UpstreamTls.of(config));

        HttpClientTransport transport;
        if (config.disableHTTP2()) {
            transport = new HttpClientTransportDynamic(connector, HttpClientConnectionFactory.HTTP11);
        } else {
            HTTP2Client http2 = new HTTP2Client(connector);
            http2.setMaxConcurrentPushedStreams(0);
            // HTTP/1.1 first: clear-text upstreams get HTTP/1.1 unless a request asks for HTTP/2 (h2c://).
            transport = new UpstreamAuthority.Transport(connector, HttpClientConnectionFactory.HTTP11,
                    new ClientConnectionFactoryOverHTTP2.HTTP2(http2));
        }
        if (config.maxIdleConnsPerHost() > 0) {
            int maxIdle = config.maxIdleConnsPerHost();
            transport.setConnectionPoolFactory(destination ->
                    new IdleCappedPool(destination, destination.getHttpClient().getMaxConnectionsPerDestination(), maxIdle));
        }
        HttpClient client = new HttpClient(transport);
        client.setName("sluice-upstream-" + name);
        client.setFollowRedirects(false);
        // No cookie store: cookies of different clients would mix.
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setUserAgentField(null);
        client.setMaxConnectionsPerDestination(1024);
        client.setMaxRequestsQueuedPerDestination(8192);
        client.setIdleTimeout(timeouts.idleConnTimeout().toMillis());
        client.setConnectTimeout(timeouts.dialTimeout().toMillis());
        // Heap buffers: the proxy servlet hands each response chunk to the servlet output stream as
        // a byte[], and a direct buffer would be copied into a fresh array on every chunk.
        client.setUseInputDirectByteBuffers(false);
        // The proxy servlet reads client bodies in chunks of this size: 4 KiB (the default) made a
        // 1 MiB upload 256 read/write round trips.
        client.setRequestBufferSize(32 * 1024);
        if (executor != null) {
            client.setExecutor(executor);
        }
        // The lean engine for plain HTTP/1.1 upstreams shares this client's connector and threads, and starts and stops with it.
        client.addBean(new LeanUpstream(client, config.maxIdleConnsPerHost()));
        client.start();
        if (!config.disableHTTP2() && timeouts.readIdleTimeout().toNanos() > 0) {
            client.addBean(new Http2Pings(client.getScheduler(), timeouts.readIdleTimeout().toNanos(), timeouts.pingTimeout().toNanos()));
        }
        // Pass bodies through untouched: the client, not the proxy, decides what it can decode.
        client.getContentDecoderFactories().clear();
        client.getProtocolHandlers().clear();
        client.getProtocolHandlers().put(new ContinueHandler());
        client.getProtocolHandlers().put(new InterimResponses());
        // Proxied requests never follow redirects (followRedirects is off by default, per request);
        // health checks may ask to.
        client.getProtocolHandlers().put(new RedirectProtocolHandler(client));
        // A 101 answer hands its connection to the proxy's tunnel (dev.sluice.proxy.upgrade).
        client.getProtocolHandlers().put(new AnyUpgradeProtocolHandler());
        LOG.debug("started upstream client {}", name);
        return client;
    }

    /** Stops the clients now, in-flight exchanges included (the runtime stops, after its server drained). */
    @Override
    public void close() {
        if (owner != null) {
            owner.closeKept();
        }
        for (HttpClient client : clients.values()) {
            RetiringClient.stop(client);
        }
    }

    /** Lets the proxy send the request body only after the server said 100 Continue. */
    private static final class ContinueHandler extends ContinueProtocolHandler {
        @Override
        protected Runnable onContinue(Request request) {
            Object action = request.getAttributes().get(CONTINUE_ACTION);
            return action instanceof Runnable runnable ? runnable : null;
        }
    }
}
