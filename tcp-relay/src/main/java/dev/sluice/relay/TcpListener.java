package dev.sluice.relay;

import dev.sluice.proxy.config.IpRanges;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A TCP entry point of the relay: accepts connections and starts a {@link TcpSession} for each. */
final class TcpListener implements Reactor.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(TcpListener.class);

    private final String name;
    private final ServerSocketChannel server;
    private final Reactor reactor;
    private final TcpRoutes routes;
    private final Relay.Settings settings;
    /** A connection with no byte either way for this long is closed (0: never). */
    private final long idleTimeoutMillis;
    /** Peers whose PROXY header is believed; null: no PROXY protocol on this entry point. */
    private final IpRanges proxyTrusted;
    private final boolean proxyInsecure;
    private final Executor handshakeTasks;
    private final Set<TcpSession> sessions = new HashSet<>();
    private final BufferPool buffers;

    TcpListener(String name, ServerSocketChannel server, Reactor reactor, TcpRoutes routes, Relay.Settings settings,
            long idleTimeoutMillis, IpRanges proxyTrusted, boolean proxyInsecure, Executor handshakeTasks) {
        this.handshakeTasks = handshakeTasks;
        this.name = name;
        this.server = server;
        this.reactor = reactor;
        this.routes = routes;
        this.settings = settings;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.proxyTrusted = proxyTrusted;
        this.proxyInsecure = proxyInsecure;
        this.buffers = new BufferPool(settings.bufferSize());
    }

    /** The buffers this entry point's sessions borrow while bytes are in flight. */
    BufferPool buffers() {
        return buffers;
    }

    String name() {
        return name;
    }

    TcpRoutes routes() {
        return routes;
    }

    Relay.Settings settings() {
        return settings;
    }

    long idleTimeoutMillis() {
        return idleTimeoutMillis;
    }

    /** Where TLS engines' delegated tasks run, off the reactor thread. */
    Executor handshakeTasks() {
        return handshakeTasks;
    }

    int port() {
        return ((InetSocketAddress) server.socket().getLocalSocketAddress()).getPort();
    }

    /** True if a connection from {@code peer} may start with a PROXY header (it is optional per connection). */
    boolean expectsProxyHeader(InetAddress peer) {
        return proxyInsecure || (proxyTrusted != null && proxyTrusted.contains(peer));
    }

    void register() throws IOException {
        reactor.register(server, SelectionKey.OP_ACCEPT, this);
    }

    @Override
    public void ready(SelectionKey key) throws IOException {
        for (int i = 0; i < 64; i++) { // a bounded batch, so one busy port cannot starve the others
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                LOG.warn("entry point {}: accept failed: {}", name, e.toString()); // e.g. out of file descriptors
                return;
            }
            if (channel == null) {
                return;
            }
            TcpSession session = new TcpSession(this, reactor, channel);
            sessions.add(session);
            try {
                session.start();
            } catch (IOException | RuntimeException e) {
                LOG.debug("entry point {}: cannot start a session: {}", name, e.toString());
                session.close(null);
            }
        }
    }

    void closed(TcpSession session) {
        sessions.remove(session);
    }

    int openSessions() {
        return sessions.size();
    }

    @Override
    public void fail(Throwable cause) {
        close();
    }

    /** Stops accepting and closes every session. Reactor thread only. */
    void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (TcpSession session : new ArrayList<>(sessions)) {
            session.close("entry point stopped");
        }
    }
}
