package dev.sluice.proxy.transport;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.AbstractConnectorHttpClientTransport;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.io.ClientConnectionFactory;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Transport;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * The lean engine: HTTP/1.1 to plain {@code http://} upstreams on Jetty's low-level pieces, without
 * {@link HttpClient}'s exchange machinery. It borrows the client's {@link ClientConnector} (selector,
 * threads, timeouts, buffer pool) and resolver, and keeps its own idle connections per
 * {@code host:port}, reused last-in first-out (the warmest socket first, the others age out on the
 * idle timeout). One call per connection at a time, no pipelining. It lives as a bean of its
 * {@link HttpClient}, so it stops with it (idle connections closed) and a reload that keeps the
 * client keeps its pool.
 *
 * <p>Races: a connection is idle only inside its destination's deque; {@code pollFirst} hands it to
 * exactly one call. An idle connection the server closes meanwhile may still be taken: the call then
 * fails before any byte of an answer, and {@link LeanCall} sends an idempotent, body-less request
 * once more on a fresh connection.
 */
public final class LeanUpstream extends AbstractLifeCycle implements UpstreamTransport {
    private final HttpClient client;
    private final int maxIdlePerHost;
    private final Map<String, Destination> destinations = new ConcurrentHashMap<>();
    private final AtomicInteger active = new AtomicInteger();

    /** @param maxIdlePerHost idle connections kept per {@code host:port}; 0 or less: no cap */
    public LeanUpstream(HttpClient client, int maxIdlePerHost) {
        this.client = client;
        this.maxIdlePerHost = maxIdlePerHost;
    }

    /** The lean engine of {@code client}, or null when it has none. */
    public static LeanUpstream of(HttpClient client) {
        return client.getBean(LeanUpstream.class);
    }

    @Override
    public UpstreamCall newCall(String host, int port, MetaData.Request head, boolean hasBody, UpstreamCall.Handler handler) {
        return new LeanCall(this, host, port, head, hasBody, handler);
    }

    /** Calls that hold a connection now (for a retiring client's drain). */
    public int activeCalls() {
        return active.get();
    }

    /** Idle connections kept, over all destinations. */
    public int idleConnections() {
        return destinations.values().stream().mapToInt(d -> d.idle.size()).sum();
    }

    HttpClient client() {
        return client;
    }

    void acquire(LeanCall call) {
        Destination destination = destinations.get(call.key());
        if (destination != null) {
            for (LeanConnection idle; (idle = destination.idle.pollFirst()) != null; ) {
                if (idle.getEndPoint().isOpen()) {
                    idle.start(call, true);
                    return;
                }
            }
        }
        connect(call);
    }

    /** A fresh connection for {@code call}, after resolving its host without blocking. */
    void connect(LeanCall call) {
        client.getSocketAddressResolver().resolve(call.host(), call.port(), new HashMap<>(), new Promise<>() {
            @Override
            public void succeeded(List<InetSocketAddress> addresses) {
                connect(call, addresses.get(0));
            }

            @Override
            public void failed(Throwable failure) {
                call.failed(failure, false);
            }
        });
    }

    private void connect(LeanCall call, InetSocketAddress address) {
        Map<String, Object> context = new HashMap<>();
        String key = call.key();
        context.put(Transport.class.getName(), Transport.TCP_IP);
        context.put(ClientConnectionFactory.CONTEXT_KEY,
                (ClientConnectionFactory) (endPoint, ctx) -> new LeanConnection(endPoint, client.getExecutor(), this, key));
        context.put(ClientConnector.CONNECTION_PROMISE_CONTEXT_KEY, new Promise<Connection>() {
            @Override
            public void succeeded(Connection connection) {
                ((LeanConnection) connection).start(call, false);
            }

            @Override
            public void failed(Throwable failure) {
                call.failed(failure, false);
            }
        });
        connector().connect(address, context);
    }

    private ClientConnector connector() {
        return ((AbstractConnectorHttpClientTransport) client.getTransport()).getClientConnector();
    }

    void started() {
        active.incrementAndGet();
    }

    /** A connection whose call ended cleanly: kept for the next call, unless the cap says no. */
    void release(LeanConnection connection) {
        active.decrementAndGet();
        Destination destination = destinations.computeIfAbsent(connection.key(), k -> new Destination());
        boolean kept;
        synchronized (destination) { // the cap's check and the offer as one: calls end on several threads at once
            kept = isRunning() && (maxIdlePerHost <= 0 || destination.idle.size() < maxIdlePerHost);
            if (kept) {
                destination.idle.offerFirst(connection);
            }
        }
        if (!kept) {
            connection.close();
        }
    }

    /** A call's connection closed before it was released. */
    void ended() {
        active.decrementAndGet();
    }

    /** An idle connection closed (by the server, or its idle timeout). */
    void removeIdle(LeanConnection connection) {
        Destination destination = destinations.get(connection.key());
        if (destination != null) {
            destination.idle.remove(connection);
        }
    }

    @Override
    protected void doStop() {
        for (Destination destination : destinations.values()) {
            for (LeanConnection idle; (idle = destination.idle.pollFirst()) != null; ) {
                idle.close();
            }
        }
    }

    private static final class Destination {
        final ConcurrentLinkedDeque<LeanConnection> idle = new ConcurrentLinkedDeque<>();
    }
}
