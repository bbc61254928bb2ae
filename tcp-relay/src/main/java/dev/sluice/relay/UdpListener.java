package dev.sluice.relay;

import dev.sluice.proxy.observe.Session;
import dev.sluice.proxy.observe.SessionObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A UDP entry point: one session per client address, each with its own socket connected to the
 * server the service picked, so answers find their way back. A session with no datagram either
 * way for the entry point's {@code udp.timeout} is dropped. Datagrams that cannot be sent at once
 * are dropped, as a network would; so are datagrams from new clients while {@code maxSessions} are
 * open (each session holds a socket: the bound keeps a flood of source addresses from exhausting
 * file descriptors).
 *
 * <p>The observer is told of each client session: opened with its first datagram, ended when it
 * expires ({@link Session.End#IDLE}), fails or the entry point stops. Datagrams that find no server
 * make no session and are not reported.
 */
final class UdpListener implements Reactor.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(UdpListener.class);

    private final String name;
    private final String address;
    private final DatagramChannel channel;
    private final Reactor reactor;
    /** Reactor thread only; a reload replaces them for sessions opened afterwards. */
    private Generation.UdpRoute route;
    private long timeoutMillis;
    private final int maxSessions;
    private long lastFullWarning;
    private final SessionObserver observer;
    private final Map<SocketAddress, ClientSession> sessions = new HashMap<>();
    /** Reactor thread only: one datagram at a time. */
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(65_536);

    UdpListener(String name, String address, DatagramChannel channel, Reactor reactor, Generation.UdpRoute route, long timeoutMillis,
            int maxSessions, SessionObserver observer) {
        this.observer = observer;
        this.address = address;
        this.name = name;
        this.channel = channel;
        this.reactor = reactor;
        this.route = route;
        this.timeoutMillis = timeoutMillis;
        this.maxSessions = maxSessions;
    }

    int port() {
        try {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    void register() throws IOException {
        reactor.register(channel, SelectionKey.OP_READ, this);
    }

    @Override
    public void ready(SelectionKey key) throws IOException {
        for (int i = 0; i < 64; i++) {
            buffer.clear();
            SocketAddress client = channel.receive(buffer);
            if (client == null) {
                return;
            }
            ClientSession session = sessions.get(client);
            if (session == null) {
                session = open(client);
                if (session == null) {
                    continue;
                }
            }
            buffer.flip();
            session.lastActivity = System.nanoTime();
            try {
                session.bytesIn += session.upstream.write(buffer);
            } catch (IOException e) {
                LOG.debug("udp {}: {} -> {}: {}", name, client, session.server, e.toString());
            }
        }
    }

    private ClientSession open(SocketAddress client) {
        if (sessions.size() >= maxSessions) {
            long now = System.nanoTime();
            if (now - lastFullWarning > 10_000_000_000L) {
                lastFullWarning = now;
                LOG.warn("udp {}: {} sessions open, the most allowed; datagrams from new clients are dropped", name, maxSessions);
            }
            return null;
        }
        TcpServer server = route == null ? null : route.service().pick(Set.of(), ((InetSocketAddress) client).getAddress().getHostAddress());
        if (server == null) {
            LOG.debug("udp {}: no server for {}", name, client);
            return null;
        }
        try {
            DatagramChannel upstream = DatagramChannel.open();
            upstream.connect(server.socketAddress());
            ClientSession session = new ClientSession(client, server, upstream, new Session(Session.Protocol.UDP, name, route.router(),
                    route.service().name(), server.id(), (InetSocketAddress) client, System.currentTimeMillis(), 0, 0, 0, true, null));
            reactor.register(upstream, SelectionKey.OP_READ, session);
            sessions.put(client, session);
            session.lastActivity = System.nanoTime();
            session.scheduleExpiry(timeoutMillis);
            observer.opened(session.opened);
            return session;
        } catch (IOException e) {
            LOG.debug("udp {}: cannot open a session to {}: {}", name, server, e.toString());
            return null;
        }
    }

    /** The configured address it listens on. */
    String address() {
        return address;
    }

    /** A reload: new client sessions get {@code newService}; established ones keep their server. Reactor thread. */
    void update(Generation.UdpRoute newRoute, long newTimeoutMillis) {
        this.route = newRoute;
        this.timeoutMillis = newTimeoutMillis;
    }

    int sessions() {
        return sessions.size();
    }

    @Override
    public void fail(Throwable cause) {
        close();
    }

    /** Reactor thread only. */
    void close() {
        for (ClientSession session : new ArrayList<>(sessions.values())) {
            session.close(Session.End.STOPPED);
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** One client address and its upstream socket. */
    private final class ClientSession implements Reactor.Handler {
        private final SocketAddress client;
        private final TcpServer server;
        private final DatagramChannel upstream;
        /** What the observer was told at the opening. */
        private final Session opened;
        private final long startNanos = System.nanoTime();
        private long lastActivity;
        private long bytesIn;
        private long bytesOut;
        private Reactor.Timer expiry;

        ClientSession(SocketAddress client, TcpServer server, DatagramChannel upstream, Session opened) {
            this.client = client;
            this.server = server;
            this.upstream = upstream;
            this.opened = opened;
        }

        @Override
        public void ready(SelectionKey key) throws IOException {
            for (int i = 0; i < 64; i++) {
                buffer.clear();
                int n = upstream.read(buffer);
                if (n <= 0) {
                    return;
                }
                buffer.flip();
                lastActivity = System.nanoTime();
                bytesOut += channel.send(buffer, client);
            }
        }

        void scheduleExpiry(long delayMillis) {
            expiry = reactor.schedule(delayMillis, () -> {
                long quiet = (System.nanoTime() - lastActivity) / 1_000_000;
                if (quiet >= timeoutMillis) {
                    close(Session.End.IDLE);
                } else {
                    scheduleExpiry(timeoutMillis - quiet);
                }
            });
        }

        @Override
        public void fail(Throwable cause) {
            // ICMP port unreachable and the like: the upstream is gone for now; the session ends
            LOG.debug("udp {}: {} <- {}: {}", name, client, server, cause.toString());
            close(Session.End.ERROR);
        }

        void close(Session.End end) {
            if (expiry != null) {
                expiry.cancel();
            }
            if (!sessions.remove(client, this)) {
                return; // closed already
            }
            observer.ended(opened.ended(System.nanoTime() - startNanos, bytesIn, bytesOut, end));
            try {
                upstream.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
