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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health checks of TCP servers, on the reactor: a non-blocking connect (to {@code port} if
 * set), then optionally {@code send} and a reply that starts with {@code expect}, all within
 * {@code timeout}. A failing server leaves the rotation until a check passes again.
 */
final class TcpHealthChecks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TcpHealthChecks.class);

    private final Reactor reactor;
    private final List<Runnable> first = new ArrayList<>();
    private volatile boolean closed;

    TcpHealthChecks(Reactor reactor) {
        this.reactor = reactor;
    }

    void add(String service, List<TcpServer> servers, TcpHealthCheckConfig config) {
        for (TcpServer server : servers) {
            first.add(() -> new Probe(service, server, config).start());
        }
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
        private final ByteBuffer received;
        private SocketChannel channel;
        private SelectionKey key;
        private Reactor.Timer timeout;
        private boolean done;

        Probe(String service, TcpServer server, TcpHealthCheckConfig config) {
            this.service = service;
            this.server = server;
            this.config = config;
            this.send = config.send() == null || config.send().isEmpty() ? null
                    : ByteBuffer.wrap(config.send().getBytes(StandardCharsets.UTF_8));
            this.expect = config.expect() == null || config.expect().isEmpty() ? null : config.expect().getBytes(StandardCharsets.UTF_8);
            this.received = expect == null ? null : ByteBuffer.allocate(expect.length);
        }

        void start() {
            if (closed) {
                return;
            }
            InetSocketAddress target = config.port() == null ? server.socketAddress()
                    : new InetSocketAddress(server.socketAddress().getAddress(), config.port());
            timeout = reactor.schedule(config.timeout().toMillis(), () -> finish(false, "timeout"));
            try {
                channel = SocketChannel.open();
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
            if (key.isConnectable()) {
                if (channel.finishConnect()) {
                    afterConnect();
                }
                return;
            }
            if (key.isWritable()) {
                channel.write(send);
                if (!send.hasRemaining()) {
                    awaitReply();
                }
            }
            if (key.isReadable()) {
                int n = channel.read(received);
                int have = received.position();
                if (!Arrays.equals(received.array(), 0, have, expect, 0, have)) {
                    finish(false, "unexpected reply");
                } else if (!received.hasRemaining()) {
                    finish(true, null);
                } else if (n < 0) {
                    finish(false, "closed before the expected reply");
                }
            }
        }

        private void afterConnect() throws IOException {
            if (send != null) {
                channel.write(send);
                if (send.hasRemaining()) {
                    key.interestOps(SelectionKey.OP_WRITE);
                    return;
                }
            }
            awaitReply();
        }

        private void awaitReply() {
            if (expect == null) {
                finish(true, null);
            } else {
                key.interestOps(SelectionKey.OP_READ);
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
            if (server.isUp() != healthy) {
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
