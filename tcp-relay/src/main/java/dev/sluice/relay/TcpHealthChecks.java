package dev.sluice.relay;

import dev.sluice.proxy.config.TcpLoadBalancerConfig.TcpHealthCheckConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health checks of TCP servers, on the reactor: a non-blocking connect (to {@code port} if
 * set), the TLS handshake for a server with {@code tls = true} (its transport's trust and name
 * checks), then optionally {@code send} and a reply that starts with {@code expect}, all within
 * {@code timeout}. A failing server leaves the rotation until a check passes again.
 */
final class TcpHealthChecks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TcpHealthChecks.class);

    private final Reactor reactor;
    private final Executor handshakeTasks;
    private final List<Runnable> first = new ArrayList<>();
    private volatile boolean closed;

    TcpHealthChecks(Reactor reactor, Executor handshakeTasks) {
        this.reactor = reactor;
        this.handshakeTasks = handshakeTasks;
    }

    void add(String service, List<TcpServer> servers, TcpHealthCheckConfig config) {
        for (TcpServer server : servers) {
            first.add(() -> new Probe(service, server, config).start());
        }
    }

    /** Servers without checks (a reload removed them): up, whatever the last check said. */
    void unchecked(List<TcpServer> servers) {
        first.add(() -> servers.forEach(server -> server.setUp(true)));
    }

    void start() {
        reactor.execute(() -> first.forEach(Runnable::run));
    }

    @Override
    public void close() {
        closed = true;
    }

    /** One check of one server; schedules the next when done. */
    private final class Probe implements Reactor.Handler {
        private final String service;
        private final TcpServer server;
        private final TcpHealthCheckConfig config;
        private final ByteBuffer send;
        private final byte[] expect;
        /** The reply so far; without {@code expect}, a scratch buffer for what the server may send anyway. */
        private final ByteBuffer received;
        private SocketChannel channel;
        private SelectionKey key;
        private EndPoint end;
        private Reactor.Timer timeout;
        private boolean done;

        Probe(String service, TcpServer server, TcpHealthCheckConfig config) {
            this.service = service;
            this.server = server;
            this.config = config;
            this.send = config.send() == null || config.send().isEmpty() ? EndPoint.NOTHING
                    : ByteBuffer.wrap(config.send().getBytes(StandardCharsets.UTF_8));
            this.expect = config.expect() == null || config.expect().isEmpty() ? null : config.expect().getBytes(StandardCharsets.UTF_8);
            this.received = ByteBuffer.allocate(expect == null ? 512 : expect.length);
        }

        /** Servers without checks (a reload removed them): up, whatever the last check said. */
    void unchecked(List<TcpServer> servers) {
        first.add(() -> servers.forEach(server -> server.setUp(true)));
    }

    void start() {
            if (closed) {
                return;
            }
            // A unix socket server is checked on its socket, whatever the check's port says.
            java.net.SocketAddress target = config.port() == null || server.isUnix() ? server.connectAddress()
                    : new InetSocketAddress(server.socketAddress().getAddress(), config.port());
            timeout = reactor.schedule(config.timeout().toMillis(), () -> finish(false, "timeout"));
            try {
                channel = server.openChannel();
                channel.configureBlocking(false);
                boolean connected = channel.connect(target);
                key = reactor.register(channel, connected ? 0 : SelectionKey.OP_CONNECT, this);
                if (connected) {
                    afterConnect();
                }
            } catch (IOException e) {
                finish(false, e.toString());
            }
        }

        @Override
        public void ready(SelectionKey key) throws IOException {
            if (end == null) {
                if (key.isConnectable() && channel.finishConnect()) {
                    afterConnect();
                }
                return;
            }
            step();
        }

        private void afterConnect() throws IOException {
            InetSocketAddress target = server.tls == null ? null : (InetSocketAddress) channel.getRemoteAddress(); // TLS servers are TCP ones
            end = server.tls == null ? new EndPoint.Plain(channel)
                    : new TlsEndPoint(channel, server.tls.newEngine(target.getHostString(), target.getPort()), reactor, handshakeTasks,
                            this::resumed, server.tls::peerCarriesRequiredNames, null);
            step();
        }

        /** After the TLS engine's delegated tasks, on the reactor. */
        private void resumed() {
            try {
                step();
            } catch (IOException | RuntimeException e) {
                finish(false, e.toString());
            }
        }

        /** Moves the handshake, the probe and the reply on as far as they go now. */
        private void step() throws IOException {
            if (done) {
                return;
            }
            boolean eof = received.hasRemaining() && end.read(received) < 0;
            end.write(send);
            if (end.handshaking() || send.hasRemaining()) {
                if (eof) {
                    finish(false, "closed during the check");
                } else {
                    key.interestOps(end.interestOps(true, send.hasRemaining()));
                }
                return;
            }
            if (expect == null) {
                finish(true, null);
                return;
            }
            int have = received.position();
            if (!Arrays.equals(received.array(), 0, have, expect, 0, have)) {
                finish(false, "unexpected reply");
            } else if (!received.hasRemaining()) {
                finish(true, null);
            } else if (eof) {
                finish(false, "closed before the expected reply");
            } else {
                key.interestOps(end.interestOps(true, false));
            }
        }

        @Override
        public void fail(Throwable cause) {
            finish(false, cause.toString());
        }

        private void finish(boolean healthy, String reason) {
            if (done) {
                return;
            }
            done = true;
            timeout.cancel();
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // a probe's socket
            }
            if (!closed && server.isUp() != healthy) { // once closed, the server may belong to the next generation's checks
                LOG.info("health check {} {}: {}", service, server, healthy ? "healthy" : "unhealthy (" + reason + ")");
                server.setUp(healthy);
            }
            if (!closed) {
                long next = (healthy ? config.interval() : config.unhealthyInterval()).toMillis();
                reactor.schedule(next, () -> new Probe(service, server, config).start());
            }
        }
    }
}
