package dev.sluice.relay;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One relayed connection: client→proxy→upstream and back, on the reactor thread.
 *
 * <p>Each direction has at most one buffer, borrowed from the entry point's {@link BufferPool} when
 * bytes are read and given back once they are written (an idle connection holds none). A side is
 * read only while the buffer towards the other side has room, and the other side is watched for
 * writability only while that buffer holds bytes; so a slow reader stops reads from the fast writer
 * (backpressure through TCP's own window) and a connection never holds more than two buffers.
 *
 * <p>Life cycle: {@code PEEKING} (the first bytes are read, not consumed, to find an incoming PROXY
 * header and the ClientHello's SNI/ALPN) → routed → {@code CONNECTING} (each refused or timed-out
 * server is replaced by the next one) → {@code RELAYING} → {@code CLOSED}. An end of stream from one
 * side is passed on as a half-close ({@code shutdownOutput}) once its bytes are flushed; the other
 * direction then has {@code terminationDelay} to finish. An error on either side closes both.
 */
final class TcpSession {
    private static final Logger LOG = LoggerFactory.getLogger(TcpSession.class);

    enum State { PEEKING, CONNECTING, RELAYING, CLOSED }

    private final TcpListener listener;
    private final Reactor reactor;
    private final SocketChannel client;
    private final BufferPool buffers;
    /** Bytes read from one side and not yet written to the other; null while there are none. */
    private ByteBuffer toUpstream;
    private ByteBuffer toClient;
    private final Set<TcpServer> tried = new HashSet<>(2);
    private final List<TcpMiddleware> admitted = new ArrayList<>(1);
    private final Side clientSide = new Side(true);
    private final Side upstreamSide = new Side(false);
    private State state = State.PEEKING;
    private SelectionKey clientKey;
    private SocketChannel upstream;
    private SelectionKey upstreamKey;
    private ByteBuffer prefix;
    private InetSocketAddress clientAddress;
    private boolean awaitingProxyHeader;
    private TcpRoutes.Route route;
    private TcpServer server;
    private boolean serverCounted;
    private boolean clientEof;
    private boolean upstreamEof;
    private boolean clientShut;
    private boolean upstreamShut;
    private Reactor.Timer peekTimer;
    private Reactor.Timer connectTimer;
    private Reactor.Timer idleTimer;
    private Reactor.Timer terminationTimer;
    private long lastActivity;

    TcpSession(TcpListener listener, Reactor reactor, SocketChannel client) {
        this.listener = listener;
        this.reactor = reactor;
        this.client = client;
        this.buffers = listener.buffers();
    }

    void start() throws IOException {
        clientAddress = (InetSocketAddress) client.getRemoteAddress();
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        clientKey = reactor.register(client, 0, clientSide);
        touch();
        scheduleIdle(listener.settings().idleTimeoutMillis());
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
        byte[] data = peekedBytes();
        if (awaitingProxyHeader) {
            if (data.length == 0 && !clientEof) {
                return;
            }
            ProxyProtocol.Decoded decoded = ProxyProtocol.decode(data, data.length);
            if (decoded instanceof ProxyProtocol.NeedMore) {
                if (clientEof || !hasRoom(toUpstream)) {
                    close("incomplete PROXY header");
                }
                return;
            }
            if (decoded instanceof ProxyProtocol.Invalid invalid) {
                close(invalid.reason());
                return;
            }
            awaitingProxyHeader = false;
            if (decoded instanceof ProxyProtocol.Header header) {
                if (header.source() != null) {
                    clientAddress = header.source();
                }
                toUpstream.flip().position(header.length());
                toUpstream.compact();
                if (toUpstream.position() == 0) {
                    buffers.release(toUpstream);
                    toUpstream = null;
                }
                data = peekedBytes();
            }
        }
        if (data.length == 0 && clientEof) {
            close("client closed before sending anything");
            return;
        }
        if (!listener.routes().needsClientHello()) {
            routeWith(null);
            return;
        }
        ClientHello.Result hello = ClientHello.parse(data, data.length);
        if (hello instanceof ClientHello.Hello parsed) {
            routeWith(parsed);
        } else if (hello instanceof ClientHello.NotTls || clientEof || !hasRoom(toUpstream)) {
            routeWith(null);
        }
    }

    /** A copy of what the client sent so far (peeking only: the buffer is direct). */
    private byte[] peekedBytes() {
        if (toUpstream == null) {
            return new byte[0];
        }
        byte[] data = new byte[toUpstream.position()];
        toUpstream.get(0, data);
        return data;
    }

    private void routeWith(ClientHello.Hello hello) {
        if (peekTimer != null) {
            peekTimer.cancel();
            peekTimer = null;
        }
        route = listener.routes().route(new TcpRoutes.Facts(hello, clientAddress.getAddress()));
        if (route == null) {
            close("no TCP router matches" + (hello != null ? " (SNI \"" + hello.sni() + "\")" : ""));
            return;
        }
        for (TcpMiddleware middleware : route.middlewares()) {
            if (!middleware.admit(clientAddress.getAddress())) {
                close("refused by a middleware of router " + route.name());
                return;
            }
            admitted.add(middleware);
        }
        state = State.CONNECTING;
        connectNext();
    }

    // ---- connecting -----------------------------------------------------------------------

    private void connectNext() {
        server = route.service().pick(tried);
        if (server == null) {
            close(tried.isEmpty() ? "no healthy server in service " + route.service() : "every server refused");
            return;
        }
        tried.add(server);
        try {
            upstream = server.openChannel();
            upstream.configureBlocking(false);
            upstream.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (server.dial.keepAlive()) {
                upstream.setOption(StandardSocketOptions.SO_KEEPALIVE, true); // off by default: no call needed
            }
            // A non-blocking connect always reports "in progress", but to a server on this host the
            // handshake is usually over by the time connect() returns: checking at once saves a
            // round through the selector (one poll() per connection when it is not).
            boolean done = upstream.connect(server.socketAddress()) || upstream.finishConnect();
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
        touch();
        progress();
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
        if (key.isReadable()) {
            if (fromClient) {
                clientEof |= readFromClient();
            } else {
                upstreamEof |= readFromUpstream();
            }
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

    /** Reads what fits into {@code toUpstream}; true at end of stream. */
    private boolean readFromClient() throws IOException {
        if (toUpstream == null) {
            toUpstream = buffers.acquire();
        }
        boolean eof = fill(client, toUpstream);
        if (toUpstream.position() == 0) {
            buffers.release(toUpstream);
            toUpstream = null;
        }
        return eof;
    }

    /** Reads what fits into {@code toClient}; true at end of stream. */
    private boolean readFromUpstream() throws IOException {
        if (toClient == null) {
            toClient = buffers.acquire();
        }
        boolean eof = fill(upstream, toClient);
        if (toClient.position() == 0) {
            buffers.release(toClient);
            toClient = null;
        }
        return eof;
    }

    /**
     * Reads until {@code buffer} is full, {@code channel} has nothing more for now, or it ended
     * (true). Reading on after data sees an end of stream right behind it (a server that answers
     * and closes) in this round instead of the next one through the selector.
     */
    private boolean fill(SocketChannel channel, ByteBuffer buffer) throws IOException {
        int before = buffer.position();
        int n = 0;
        while (buffer.hasRemaining() && (n = channel.read(buffer)) > 0) {
            // again, while bytes come
        }
        if (buffer.position() > before) {
            touch();
        }
        return n < 0;
    }

    /** Flushes both directions, passes on ends of stream, and re-arms interest. */
    private void progress() throws IOException {
        if (state != State.RELAYING) {
            updateInterest();
            return;
        }
        if (prefix != null) {
            upstream.write(prefix);
            if (!prefix.hasRemaining()) {
                prefix = null;
            }
        }
        if (prefix == null) {
            toUpstream = write(upstream, toUpstream);
        }
        toClient = write(client, toClient);
        boolean shutUpstream = clientEof && !upstreamShut && prefix == null && toUpstream == null;
        boolean shutClient = upstreamEof && !clientShut && toClient == null;
        upstreamShut |= shutUpstream;
        clientShut |= shutClient;
        if (clientShut && upstreamShut) {
            close(null); // both ends are done: the close sends the last FIN, no shutdown needed first
            return;
        }
        if (shutUpstream) {
            upstream.shutdownOutput();
            halfClosed();
        }
        if (shutClient) {
            client.shutdownOutput();
            halfClosed();
        }
        updateInterest();
    }

    /** Writes what {@code buffer} holds; returns it, or null once it is empty (and given back). */
    private ByteBuffer write(SocketChannel channel, ByteBuffer buffer) throws IOException {
        if (buffer == null) {
            return null;
        }
        buffer.flip();
        int n = channel.write(buffer);
        buffer.compact();
        if (n > 0) {
            touch();
        }
        if (buffer.position() == 0) {
            buffers.release(buffer);
            return null;
        }
        return buffer;
    }

    /** True if {@code buffer} can take more bytes (no buffer yet: one will be borrowed). */
    private static boolean hasRoom(ByteBuffer buffer) {
        return buffer == null || buffer.hasRemaining();
    }

    /** One direction ended: the other gets {@code terminationDelay} to finish (Traefik's deadline). */
    private void halfClosed() {
        long delay = server.dial.terminationDelayMillis();
        if (terminationTimer == null && delay >= 0 && !(clientShut && upstreamShut)) {
            terminationTimer = reactor.schedule(delay, () -> close(null));
        }
    }

    private void updateInterest() {
        if (state == State.CLOSED) {
            return;
        }
        int clientOps = !clientEof && hasRoom(toUpstream) ? SelectionKey.OP_READ : 0;
        if (state == State.RELAYING && toClient != null) {
            clientOps |= SelectionKey.OP_WRITE;
        }
        clientKey.interestOps(clientOps);
        if (upstreamKey != null) {
            int upstreamOps;
            if (state == State.CONNECTING) {
                upstreamOps = SelectionKey.OP_CONNECT;
            } else {
                upstreamOps = !upstreamEof && hasRoom(toClient) ? SelectionKey.OP_READ : 0;
                if (prefix != null || toUpstream != null) {
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
        long idle = listener.settings().idleTimeoutMillis();
        if (idle <= 0) {
            return;
        }
        idleTimer = reactor.schedule(delayMillis, () -> {
            long quietMillis = (System.nanoTime() - lastActivity) / 1_000_000;
            if (quietMillis >= idle) {
                close("idle for " + quietMillis + "ms");
            } else {
                scheduleIdle(idle - quietMillis);
            }
        });
    }

    /** Closes both sides (a FIN to each, not a reset) and releases what the connection held. */
    void close(String reason) {
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
        buffers.release(toUpstream);
        buffers.release(toClient);
        toUpstream = null;
        toClient = null;
        if (serverCounted) {
            server.released();
        }
        for (TcpMiddleware middleware : admitted) {
            middleware.release(clientAddress.getAddress());
        }
        listener.closed(this);
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
            close((client ? "client: " : "upstream: ") + cause);
        }
    }
}
