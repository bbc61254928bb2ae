package dev.sluice.standalone;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * A real WebSocket server (Jetty's) on 127.0.0.1 at {@code /ws} and {@code /chat/*}: echoes text and binary messages,
 * and obeys a few text commands — {@code whoami} (answers its name), {@code proto} (the
 * {@code X-Forwarded-Proto} of its handshake), {@code close:CODE:REASON} (closes with that code),
 * {@code die} (drops the TCP connection without a close frame), {@code flood:COUNT:SIZE} (sends COUNT
 * binary messages of SIZE bytes, counting those fully written in {@link #flooded}). Close codes it
 * receives are queued in {@link #closes}. Other paths answer 404 without upgrading.
 */
public final class WsBackend implements AutoCloseable {
    static final long MAX_MESSAGE = 16 * 1024 * 1024;

    final String name;
    final BlockingQueue<String> closes = new LinkedBlockingQueue<>();
    final AtomicLong flooded = new AtomicLong();
    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);

    WsBackend(String name) throws Exception {
        this.name = name;
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ContextHandler context = new ContextHandler("/");
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, context, container -> {
            container.setMaxTextMessageSize(MAX_MESSAGE);
            container.setMaxBinaryMessageSize(MAX_MESSAGE);
            container.setIdleTimeout(Duration.ofMinutes(2));
            container.addMapping("/ws", (request, response, callback) -> new Endpoint(request.getHeaders().get("X-Forwarded-Proto")));
            container.addMapping("/chat/*", (request, response, callback) -> new Endpoint(request.getHeaders().get("X-Forwarded-Proto")));
        });
        context.setHandler(ws);
        server.setHandler(context);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    public final class Endpoint implements Session.Listener.AutoDemanding {
        private final String proto;
        private Session session;

        Endpoint(String proto) {
            this.proto = proto;
        }

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
        }

        @Override
        public void onWebSocketText(String message) {
            if (message.equals("whoami")) {
                session.sendText(name, Callback.NOOP);
            } else if (message.equals("proto")) {
                session.sendText(String.valueOf(proto), Callback.NOOP);
            } else if (message.startsWith("close:")) {
                String[] parts = message.split(":", 3);
                session.close(Integer.parseInt(parts[1]), parts[2], Callback.NOOP);
            } else if (message.equals("die")) {
                session.disconnect();
            } else if (message.startsWith("flood:")) {
                String[] parts = message.split(":");
                flood(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
            } else {
                session.sendText(message, Callback.NOOP);
            }
        }

        /** One message at a time, the next once the previous is written: stalls when the path does. */
        private void flood(int left, int size) {
            if (left == 0 || !session.isOpen()) {
                return;
            }
            session.sendBinary(ByteBuffer.allocate(size), Callback.from(() -> {
                flooded.addAndGet(size);
                flood(left - 1, size);
            }, x -> { }));
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
            callback.succeed();
            session.sendBinary(copy, Callback.NOOP);
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            closes.add(statusCode + ":" + reason);
        }
    }
}
