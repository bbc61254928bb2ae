package dev.sluice.relay;

import dev.sluice.proxy.observe.Session;
import dev.sluice.proxy.observe.Session.End;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jdk.net.ExtendedSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One relayed connection: client→proxy→upstream and back, on the reactor thread.
 *
 * <p>Each direction is a {@link Lane}: at most one pooled buffer, held only while bytes are in
 * flight. A side is read only while the lane towards the other side has room, and the other side
 * is watched for writability only while that lane holds bytes; so a slow reader stops reads from
 * the fast writer (backpressure through TCP's own window) and a connection never holds more than
 * two buffers.
 *
 * <p>Life cycle: {@code PEEKING} (the first bytes are read, not consumed, to find an incoming PROXY
 * header and the ClientHello's SNI/ALPN) → routed → {@code CONNECTING} (each refused or timed-out
 * server is replaced by the next one) → {@code RELAYING} → {@code CLOSED}. An end of stream from one
 * side is passed on as a half-close ({@code shutdownOutput}) once its bytes are flushed; the other
 * direction then has {@code terminationDelay} to finish. An error on either side closes both.
 *
 * <p>Each side is an {@link EndPoint}: the socket itself, or TLS over it when the router terminates
 * TLS (the client side, from the peeked ClientHello on, while the upstream is dialled) or the server
 * has {@code tls = true} (the upstream side, after the PROXY header if one is sent). A TLS side may
 * hold decrypted bytes no readiness event will announce, so {@link #progress} reads those whenever
 * there is room.
 *
 * <p>The entry point's {@link dev.sluice.proxy.observe.SessionObserver} is told when the session
 * is opened (connected to its server) and when it ends, with how (each {@link #close} names an
 * {@link End}); connections a shared entry point hands to its HTTP side are that side's to observe.
 */
final class TcpSession {
    private static final Logger LOG = LoggerFactory.getLogger(TcpSession.class);

    enum State { PEEKING, CONNECTING, RELAYING, CLOSED }

    private final TcpListener listener;
    private final Reactor reactor;
    private final SocketChannel client;
    /** Client → upstream, and upstream → client. */
    private final Lane up;
    private final Lane down;
    private final Set<TcpServer> tried = new HashSet<>(2);
    private final List<TcpMiddleware> admitted = new ArrayList<>(1);
    private final Side clientSide = new Side(true);
    private final Side upstreamSide = new Side(false);
    private State state = State.PEEKING;
    private SelectionKey clientKey;
    private EndPoint clientEnd;
    private EndPoint upstreamEnd;
    private SocketChannel upstream;
    private SelectionKey upstreamKey;
    private ByteBuffer prefix;
    private InetSocketAddress clientAddress;
    private boolean awaitingProxyHeader;
    private TcpRoutes.Route route;
    private TcpServer server;
    private boolean serverCounted;
    private boolean clientShut;
    private boolean upstreamShut;
    private Reactor.Timer peekTimer;
    private Reactor.Timer connectTimer;
    private Reactor.Timer idleTimer;
    private Reactor.Timer terminationTimer;
    private long lastActivity;
    private final long startNanos = System.nanoTime();
    private final long startMillis = System.currentTimeMillis();
    /** What the observer was told at the opening; null until then. */
    private Session opened;
    /** Routed to the HTTP side of a shared entry point: not the relay's to observe. */
    private boolean toHttpSide;

    TcpSession(TcpListener listener, Reactor reactor, SocketChannel client) {
        this.listener = listener;
        this.reactor = reactor;
        this.client = client;
        this.up = new Lane(listener.buffers());
        this.down = new Lane(listener.buffers());
    }

    void start() throws IOException {
        clientAddress = (InetSocketAddress) client.getRemoteAddress();
        clientEnd = new EndPoint.Plain(client);
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        clientKey = reactor.register(client, 0, clientSide);
        touch();
        scheduleIdle(listener.idleTimeoutMillis());
        awaitingProxyHeader = listener.expectsProxyHeader(clientAddress.getAddress());
        if (awaitingProxyHeader || listener.routes().needsClientHello()) {
            peekTimer = reactor.schedule(listener.settings().peekTimeoutMillis(), () -> {
                peekTimer = null;
                if (state == State.PEEKING) {
                    routeWith(null); // a server-speaks-first protocol: route on what is known
                }
            });
            updateInterest();
        } else {
            routeWith(null);
        }
    }

    // ---- peeking and routing --------------------------------------------------------------

    private void peeked() {
        byte[] data = up.peek();
        if (awaitingProxyHeader) {
            if (data.length == 0 && !up.ended()) {
                return;
            }
            ProxyProtocol.Decoded decoded = ProxyProtocol.decode(data, data.length);
            if (decoded instanceof ProxyProtocol.NeedMore) {
                if (up.ended() || !up.hasRoom()) {
                    close(End.PROTOCOL_ERROR, "incomplete PROXY header");
                }
                return;
            }
            if (decoded instanceof ProxyProtocol.Invalid invalid) {
                close(End.PROTOCOL_ERROR, invalid.reason());
                return;
            }
            awaitingProxyHeader = false;
            if (decoded instanceof ProxyProtocol.Header header) {
                if (header.source() != null) {
                    clientAddress = header.source();
                }
                up.skip(header.length());
                data = up.peek();
            }
        }
        if (data.length == 0 && up.ended()) {
            close(End.CLOSED, "client closed before sending anything");
            return;
        }
        if (!listener.routes().needsClientHello()) {
            routeWith(null);
            return;
        }
        ClientHello.Result hello = ClientHello.parse(data, data.length);
        if (hello instanceof ClientHello.Hello parsed) {
            routeWith(parsed);
        } else if (hello instanceof ClientHello.NotTls || up.ended() || !up.hasRoom()) {
            routeWith(null);
        }
    }

    private void routeWith(ClientHello.Hello hello) {
        if (peekTimer != null) {
            peekTimer.cancel();
            peekTimer = null;
        }
        TcpRoutes routes = listener.routes();
        route = routes.route(new TcpRoutes.Facts(hello, clientAddress.getAddress()));
        toHttpSide = route != null && route == routes.fallback();
        if (route == null) {
            close(End.NO_ROUTE, "no TCP router matches" + (hello != null ? " (SNI \"" + hello.sni() + "\")" : ""));
            return;
        }
        for (TcpMiddleware middleware : route.middlewares()) {
            if (!middleware.admit(clientAddress.getAddress())) {
                close(End.REFUSED, "refused by a middleware of router " + route.name());
                return;
            }
            admitted.add(middleware);
        }
        if (route.termination() != null) {
            terminateTls();
            if (state == State.CLOSED) {
                return;
            }
        }
        state = State.CONNECTING;
        connectNext();
    }

    /** The peeked bytes are the start of the TLS handshake: they go to the engine, not upstream. */
    private void terminateTls() {
        try {
            clientEnd = new TlsEndPoint(client, route.termination().newEngine(), reactor, listener.handshakeTasks(), this::resume, null,
                    up.held());
        } catch (IOException e) {
            close(End.ERROR, "cannot start TLS: " + e);
        }
        up.release(); // the engine copied the peeked bytes
    }

    // ---- connecting -----------------------------------------------------------------------

    private void connectNext() {
        TcpServer next = route.service().pick(tried, clientAddress.getAddress().getHostAddress());
        if (next == null) { // server stays the last one tried, for observers
            close(End.NO_SERVER, tried.isEmpty() ? "no healthy server in service " + route.service() : "every server refused");
            return;
        }
        server = next;
        tried.add(server);
        try {
            upstream = server.openChannel();
            upstream.configureBlocking(false);
            if (!server.isUnix()) { // no TCP options on a unix socket
                upstream.setOption(StandardSocketOptions.TCP_NODELAY, true);
                keepAlive(upstream, server.dial.keepAliveSeconds());
            }
            // A non-blocking connect always reports "in progress", but to a server on this host the
            // handshake is usually over by the time connect() returns: checking at once saves a
            // round through the selector (one poll() per connection when it is not).
            boolean done = upstream.connect(server.connectAddress()) || upstream.finishConnect();
            upstreamKey = reactor.register(upstream, 0, upstreamSide);
            if (done) {
                connected();
            } else {
                connectTimer = reactor.schedule(server.dial.dialTimeoutMillis(),
                        () -> connectFailed(new IOException("dial timeout after " + server.dial.dialTimeoutMillis() + "ms")));
                updateInterest();
            }
        } catch (IOException e) {
            connectFailed(e);
        } catch (RuntimeException e) {
            // An address DNS could not resolve when the configuration was loaded, and the like.
            connectFailed(new IOException(e.toString(), e));
        }
    }

    /** SO_KEEPALIVE, with the first probe after {@code seconds} idle and the next ones that often (where the OS lets us). */
    private static void keepAlive(SocketChannel channel, int seconds) throws IOException {
        if (seconds <= 0) {
            return; // off by default: no call needed
        }
        channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        if (channel.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPIDLE)) {
            channel.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, seconds);
            channel.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, seconds);
        }
    }

    private void connectFailed(IOException e) {
        if (state != State.CONNECTING) {
            return;
        }
        LOG.debug("{}: connect to {} failed: {}", this, server, e.toString());
        cancel(connectTimer);
        connectTimer = null;
        closeQuietly(upstream);
        upstream = null;
        upstreamKey = null;
        connectNext();
    }

    private void connected() throws IOException {
        cancel(connectTimer);
        connectTimer = null;
        state = State.RELAYING;
        server.connected();
        serverCounted = true;
        if (server.dial.proxyProtocol() > 0) {
            prefix = ProxyProtocol.encode(server.dial.proxyProtocol(), clientAddress, (InetSocketAddress) client.getLocalAddress());
        }
        // A PROXY header goes first, in the clear; TLS to the server starts once it is sent.
        upstreamEnd = prefix == null ? upstreamEndPoint() : new EndPoint.Plain(upstream);
        touch();
        if (!toHttpSide) {
            opened = new Session(Session.Protocol.TCP, listener.name(), route.name(), route.service().name(), server.id(), clientAddress,
                    startMillis, 0, 0, 0, true, null);
            listener.observer().opened(opened);
        }
        progress();
    }

    private EndPoint upstreamEndPoint() throws IOException {
        if (server.tls == null) {
            return new EndPoint.Plain(upstream);
        }
        InetSocketAddress address = server.socketAddress();
        return new TlsEndPoint(upstream, server.tls.newEngine(address.getHostString(), address.getPort()), reactor,
                listener.handshakeTasks(), this::resume, server.tls::peerCarriesRequiredNames, null);
    }

    /** After a TLS end point's delegated tasks: carry on where the handshake stopped. */
    private void resume() {
        if (state == State.CLOSED) {
            return;
        }
        try {
            progress();
        } catch (IOException | RuntimeException e) {
            close(End.ERROR, "TLS: " + e);
        }
    }

    // ---- relaying -------------------------------------------------------------------------

    private void onReady(boolean fromClient, SelectionKey key) throws IOException {
        if (state == State.CLOSED) {
            return;
        }
        if (!fromClient && state == State.CONNECTING) {
            if (key.isConnectable()) {
                try {
                    if (upstream.finishConnect()) {
                        connected();
                    }
                } catch (IOException e) {
                    connectFailed(e);
                }
            }
            return;
        }
        if (key.isReadable() && (fromClient ? up.fill(clientEnd) : down.fill(upstreamEnd))) {
            touch();
        }
        if (state == State.PEEKING) {
            peeked();
            if (state == State.PEEKING) {
                updateInterest();
            }
            return;
        }
        progress();
    }

    /** Flushes both directions, passes on ends of stream, and re-arms interest. */
    private void progress() throws IOException {
        boolean again;
        do {
            // Bytes a TLS side holds already: no readiness event will announce them. Plain sides hold none.
            boolean held = readHeld(clientEnd, up) | (upstreamEnd != null && readHeld(upstreamEnd, down));
            boolean wrote = state == State.RELAYING && writeBoth();
            again = state != State.CLOSED && (held || (wrote && (clientEnd.hasWork() || upstreamEnd.hasWork())));
        } while (again);
        if (state != State.RELAYING) {
            updateInterest();
            return;
        }
        boolean shutUpstream = up.ended() && !upstreamShut && prefix == null && up.isEmpty();
        boolean shutClient = down.ended() && !clientShut && down.isEmpty();
        upstreamShut |= shutUpstream;
        clientShut |= shutClient;
        if (shutUpstream) {
            endOutput(upstreamEnd);
        }
        if (shutClient) {
            endOutput(clientEnd);
        }
        if (clientShut && upstreamShut && ended(clientEnd) && ended(upstreamEnd)) {
            close(End.CLOSED, null);
            return;
        }
        updateInterest();
    }

    /**
     * Passes an end of stream on. When both directions are over and the close that follows ends the
     * output anyway (a plain socket's FIN), the shutdown is skipped: one system call less per connection.
     */
    private void endOutput(EndPoint end) throws IOException {
        if (clientShut && upstreamShut && end.closeEndsOutput()) {
            return;
        }
        end.shutdownOutput();
        halfClosed();
    }

    /** True once {@code end} needs nothing more before the close. */
    private static boolean ended(EndPoint end) {
        return end.closeEndsOutput() || end.outputShut();
    }

    /** Reads bytes a TLS side already holds (when its lane has room); true if any came. */
    private boolean readHeld(EndPoint end, Lane lane) throws IOException {
        if (!end.hasWork() || (!lane.hasRoom() && !end.handshaking()) || !lane.fill(end)) {
            return false;
        }
        touch();
        return true;
    }

    /** Writes the PROXY header, then both buffers; true if any byte left. */
    private boolean writeBoth() throws IOException {
        boolean wrote = false;
        if (prefix != null) {
            wrote = upstream.write(prefix) > 0;
            if (!prefix.hasRemaining()) {
                prefix = null;
                upstreamEnd = upstreamEndPoint();
            }
        }
        if (prefix == null) {
            wrote |= up.drain(upstreamEnd);
        }
        wrote |= down.drain(clientEnd);
        if (wrote) {
            touch();
        }
        return wrote;
    }

    /** One direction ended: the other gets {@code terminationDelay} to finish (Traefik's deadline). */
    private void halfClosed() {
        long delay = server.dial.terminationDelayMillis();
        if (terminationTimer == null && delay >= 0 && !(clientShut && upstreamShut)) {
            terminationTimer = reactor.schedule(delay, () -> close(End.CLOSED, null));
        }
    }

    private void updateInterest() {
        if (state == State.CLOSED) {
            return;
        }
        clientKey.interestOps(clientEnd.interestOps(!up.ended() && up.hasRoom(), state == State.RELAYING && !down.isEmpty()));
        if (upstreamKey != null) {
            int upstreamOps;
            if (state == State.CONNECTING) {
                upstreamOps = SelectionKey.OP_CONNECT;
            } else {
                upstreamOps = upstreamEnd.interestOps(!down.ended() && down.hasRoom(), prefix != null || !up.isEmpty());
                if (prefix != null) {
                    upstreamOps |= SelectionKey.OP_WRITE;
                }
            }
            upstreamKey.interestOps(upstreamOps);
        }
    }

    // ---- timers and closing ---------------------------------------------------------------

    private void touch() {
        lastActivity = System.nanoTime();
    }

    private void scheduleIdle(long delayMillis) {
        long idle = listener.idleTimeoutMillis();
        if (idle <= 0) {
            return;
        }
        idleTimer = reactor.schedule(delayMillis, () -> {
            long quietMillis = (System.nanoTime() - lastActivity) / 1_000_000;
            if (quietMillis >= idle) {
                close(End.IDLE, "idle for " + quietMillis + "ms");
            } else {
                scheduleIdle(idle - quietMillis);
            }
        });
    }

    /** Closes both sides (a FIN to each, not a reset) and releases what the connection held; {@code end} says why, as observers see it. */
    void close(End end, String reason) {
        if (state == State.CLOSED) {
            return;
        }
        if (reason != null) {
            LOG.debug("{}: closing: {}", this, reason);
        }
        boolean relaying = state == State.RELAYING;
        state = State.CLOSED;
        cancel(peekTimer);
        cancel(connectTimer);
        cancel(idleTimer);
        cancel(terminationTimer);
        // A FIN to each side that has not had one yet, even if unread bytes make the close a reset.
        if (!clientShut) {
            shutdownQuietly(client);
        }
        if (!upstreamShut && relaying) {
            shutdownQuietly(upstream);
        }
        reactor.closeAfterDeregistration(client, clientKey);
        reactor.closeAfterDeregistration(upstream, upstreamKey);
        up.release();
        down.release();
        if (serverCounted) {
            server.released();
        }
        for (TcpMiddleware middleware : admitted) {
            middleware.release(clientAddress.getAddress());
        }
        listener.closed(this);
        ended(end);
    }

    /** Tells the observer; reactor thread, once. */
    private void ended(End end) {
        if (toHttpSide) {
            return;
        }
        long duration = System.nanoTime() - startNanos;
        Session session = opened != null ? opened
                : new Session(Session.Protocol.TCP, listener.name(), route == null ? null : route.name(),
                        route == null ? null : route.service().name(), server == null ? null : server.id(), clientAddress, startMillis,
                        0, 0, 0, false, null);
        listener.observer().ended(session.ended(duration, up.relayed(), down.relayed(), end));
    }

    private static void cancel(Reactor.Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

    private static void shutdownQuietly(SocketChannel channel) {
        try {
            channel.shutdownOutput();
        } catch (IOException ignored) {
            // not connected, or reset: nothing to end politely
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public String toString() {
        return "tcp[" + listener.name() + " " + clientAddress + " -> " + (route == null ? "?" : route.name() + " " + server) + "]";
    }

    /** The handler of one of the two channels. */
    private final class Side implements Reactor.Handler {
        private final boolean client;

        Side(boolean client) {
            this.client = client;
        }

        @Override
        public void ready(SelectionKey key) throws IOException {
            onReady(client, key);
        }

        @Override
        public void fail(Throwable cause) {
            close(End.ERROR, (client ? "client: " : "upstream: ") + cause);
        }
    }
}
