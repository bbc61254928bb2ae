package dev.sluice.relay;

import dev.sluice.proxy.config.EntryPointConfig;
import dev.sluice.proxy.config.IpRanges;
import dev.sluice.proxy.observe.SessionObserver;
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

    /**
     * What a reload may change on a listening entry point.
     *
     * @param idleTimeoutMillis a connection with no byte either way for this long is closed (0: never)
     * @param proxyTrusted peers whose PROXY header is believed; null: no PROXY protocol on this entry point
     */
    record Spec(long idleTimeoutMillis, IpRanges proxyTrusted, boolean proxyInsecure) {
        static Spec of(EntryPointConfig ep) {
            return new Spec(ep.transport().respondingTimeouts().idleTimeout().toMillis(),
                    ep.proxyProtocol().trustedIPs().isEmpty() ? null : IpRanges.parse(ep.proxyProtocol().trustedIPs()),
                    ep.proxyProtocol().insecure());
        }
    }

    private final String name;
    private final String address;
    private final ServerSocketChannel server;
    private final Reactor reactor;
    private final Relay.Settings settings;
    private final Executor handshakeTasks;
    /** Reactor thread only; a reload replaces them for connections accepted afterwards. */
    private TcpRoutes routes;
    private Spec spec;
    private final Set<TcpSession> sessions = new HashSet<>();
    private final BufferPool buffers;
    private final SessionObserver observer;

    TcpListener(String name, String address, ServerSocketChannel server, Reactor reactor, TcpRoutes routes, Relay.Settings settings,
            Spec spec, Executor handshakeTasks, SessionObserver observer) {
        this.observer = observer;
        this.handshakeTasks = handshakeTasks;
        this.name = name;
        this.address = address;
        this.server = server;
        this.reactor = reactor;
        this.routes = routes;
        this.settings = settings;
        this.spec = spec;
        this.buffers = new BufferPool(settings.bufferSize());
    }

    /** The configured address it listens on. */
    String address() {
        return address;
    }

    /** A reload: connections accepted from now on get {@code newRoutes}; established ones keep theirs. Reactor thread. */
    void update(TcpRoutes newRoutes, Spec newSpec) {
        this.routes = newRoutes;
        this.spec = newSpec;
    }

    /** Who is told of this entry point's sessions (on the reactor thread). */
    SessionObserver observer() {
        return observer;
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
        return spec.idleTimeoutMillis();
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
        return spec.proxyInsecure() || (spec.proxyTrusted() != null && spec.proxyTrusted().contains(peer));
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
                session.close(dev.sluice.proxy.observe.Session.End.ERROR, e.toString());
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

    /** Closes the listening socket; established sessions go on. Reactor thread only. */
    void stopAccepting() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Stops accepting and closes every session. Reactor thread only. */
    void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (TcpSession session : new ArrayList<>(sessions)) {
            session.close(dev.sluice.proxy.observe.Session.End.STOPPED, "entry point stopped");
        }
    }
}
