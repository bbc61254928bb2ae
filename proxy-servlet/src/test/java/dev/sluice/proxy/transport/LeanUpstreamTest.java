package dev.sluice.proxy.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lean engine on its own, against a raw upstream on a real socket: keep-alive reuse, and the one
 * retry it allows itself (an idempotent, body-less request whose reused connection closed before any
 * answer goes again on a fresh connection; a POST never does).
 */
class LeanUpstreamTest {
    private UpstreamClients clients;
    private RawServer server;

    @AfterEach
    void stop() throws Exception {
        if (clients != null) {
            clients.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private LeanUpstream lean() throws Exception {
        clients = UpstreamClients.start(Map.of());
        return LeanUpstream.of(clients.get(UpstreamClients.DEFAULT));
    }

    @Test
    void keepAliveConnectionsAreReused() throws Exception {
        server = new RawServer(false);
        LeanUpstream lean = lean();
        for (int i = 0; i < 3; i++) {
            Answer answer = send(lean, "GET", null);
            assertEquals(200, answer.status.get(5, TimeUnit.SECONDS));
            assertEquals("ok", answer.body());
            awaitIdle(lean);
        }
        assertEquals(1, server.connections.get(), "three calls, one connection");
        assertEquals(1, lean.idleConnections());
    }

    @Test
    void aGetWhoseReusedConnectionClosesIsSentAgainOnAFreshOne() throws Exception {
        server = new RawServer(true);
        LeanUpstream lean = lean();
        assertEquals(200, send(lean, "GET", null).status.get(5, TimeUnit.SECONDS));
        awaitIdle(lean); // the answer can reach the caller before its connection is back in the pool
        Answer again = send(lean, "GET", null);
        assertEquals(200, again.status.get(5, TimeUnit.SECONDS), "the server hung up on the reused connection; a fresh one answered");
        assertEquals(2, server.connections.get());
        assertEquals(List.of("GET", "GET", "GET"), server.requests, "the second request reached the server twice, once per connection");
    }

    private static void awaitIdle(LeanUpstream lean) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (lean.idleConnections() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(1, lean.idleConnections(), "the first connection is kept alive for the next call");
    }

    @Test
    void aPostWhoseReusedConnectionClosesIsNotSentAgain() throws Exception {
        server = new RawServer(true);
        LeanUpstream lean = lean();
        assertEquals(200, send(lean, "GET", null).status.get(5, TimeUnit.SECONDS));
        awaitIdle(lean);
        Answer post = send(lean, "POST", "body");
        Throwable failure = post.failure.get(5, TimeUnit.SECONDS);
        assertInstanceOf(IOException.class, failure);
        assertEquals(1, server.connections.get(), "no fresh connection for a POST");
        assertEquals(List.of("GET", "POST"), server.requests);
    }

    private Answer send(LeanUpstream lean, String method, String body) {
        HttpFields.Mutable fields = HttpFields.build().put("Host", "upstream");
        byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        MetaData.Request head = new MetaData.Request(method, HttpURI.build().pathQuery("/x"), HttpVersion.HTTP_1_1, fields,
                bytes == null ? -1 : bytes.length);
        Answer answer = new Answer();
        UpstreamCall[] call = new UpstreamCall[1];
        answer.onCommit = () -> {
            if (bytes != null) {
                call[0].write(ByteBuffer.wrap(bytes), true, Callback.NOOP);
            }
        };
        call[0] = lean.newCall("127.0.0.1", server.port(), head, bytes != null, answer);
        call[0].send();
        return answer;
    }

    private static final class Answer implements UpstreamCall.Handler {
        final CompletableFuture<Integer> status = new CompletableFuture<>();
        final CompletableFuture<Throwable> failure = new CompletableFuture<>();
        final ByteArrayOutputStream content = new ByteArrayOutputStream();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile Runnable onCommit = () -> {};
        private int seen;

        @Override
        public void onCommitted() {
            onCommit.run();
        }

        @Override
        public void onHeaders(MetaData.Response response) {
            seen = response.getStatus();
        }

        @Override
        public void onContent(ByteBuffer chunk, Callback callback) {
            content.write(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining());
            callback.succeeded();
        }

        @Override
        public void onComplete(HttpFields trailers) {
            done.complete(null);
            status.complete(seen);
        }

        @Override
        public void onFailure(Throwable cause) {
            failure.complete(cause);
            status.completeExceptionally(cause);
        }

        String body() throws Exception {
            done.get(5, TimeUnit.SECONDS);
            return content.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * Answers "ok" with keep-alive. With {@code hangUpOnSecond}, the second request on a connection
     * is read and then the connection closed without an answer, as a server timing out an idle
     * keep-alive connection just as the proxy reuses it.
     */
    private static final class RawServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final AtomicInteger connections = new AtomicInteger();
        final List<String> requests = new CopyOnWriteArrayList<>();
        private final boolean hangUpOnSecond;
        private final Thread acceptor;

        RawServer(boolean hangUpOnSecond) throws IOException {
            this.hangUpOnSecond = hangUpOnSecond;
            acceptor = new Thread(this::accept, "raw-upstream");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    connections.incrementAndGet();
                    Thread t = new Thread(() -> serve(s), "raw-upstream-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void serve(Socket s) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                for (int n = 1; n <= 100; n++) {
                    String head = readHead(in);
                    if (head == null) {
                        return;
                    }
                    requests.add(head.substring(0, head.indexOf(' ')));
                    int length = contentLength(head);
                    in.readNBytes(length);
                    if (hangUpOnSecond && n == 2) {
                        return;
                    }
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException ignored) {
                // the proxy closed
            }
        }

        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            for (int i = 0; i < 65536; i++) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                head.write(b);
                matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
                if (matched == 4) {
                    return head.toString(StandardCharsets.US_ASCII);
                }
            }
            throw new IOException("head too long");
        }

        private static int contentLength(String head) {
            for (String line : head.split("\r\n")) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    return Integer.parseInt(line.substring(15).trim());
                }
            }
            return 0;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
