package dev.sluice.standalone;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A real upstream for tests: embedded Jetty on 127.0.0.1, port 0, HTTP/1.1 and h2c. It records every
 * request it receives and answers according to the path:
 * <ul>
 *   <li>{@code /bytes?n=N} — N bytes of a known pattern, streamed in 64 KiB writes, no Content-Length
 *   <li>{@code /slow?ms=N} — answers after N ms
 *   <li>{@code /upload} — reads the body, answers {@code bytes=N sha256=HEX}
 *   <li>{@code /hold} — sends 64 KiB, then waits until {@link #release()} before sending the rest
 *   <li>{@code /die[?length]} — sends 64 KiB of a longer body (chunked, or with Content-Length), then drops the connection
 *   <li>{@code /sse} — three server-sent events ({@code data: 1} … {@code data: 3}); after each of the first two
 *   it waits for {@link #nextEvent()} (30 s at most, beyond a reader's 10 s), so an event a proxy held back never reaches a client in time
 *   <li>{@code /trailers} — chunked body followed by a {@code X-Checksum} trailer
 *   <li>{@code /health} — the status set by {@link #health(int)} (200 at first); not recorded, only counted
 *   and kept as {@link #lastHealthCheck()}
 *   <li>{@code /grpc.health.v1.Health/Check} — a gRPC {@code HealthCheckResponse} with the status set by
 *   {@link #grpcStatus(int)} (1, SERVING, at first) and {@code grpc-status: 0}; counted as a health check
 *   <li>{@code /respond?status=N&type=T&body=B&size=N&header=Name:Value&header=...&chunks=N&gapMs=N} — an
 *   answer made to order (query values percent-decoded): status (200), Content-Type (none), body text (or
 *   {@code size} bytes of 'x'), extra headers; with {@code chunks} the body is written in that many flushed
 *   parts {@code gapMs} apart, without Content-Length unless {@code length=1}; with {@code hold=1} the parts after
 *   the first wait for {@link #release()}. Recorded, with the request body.
 *   <li>anything else — {@code 200} with body = backend name, header {@code X-Backend}; the request
 *   body is recorded; {@link #failNext(int)} makes the next requests answer 500 instead, and
 *   {@link #delay(long)} holds every answer back (until {@link #close()} at most)
 * </ul>
 */
final class Backend implements AutoCloseable {
    /** What the backend saw of one request. */
    record Seen(String method, String pathQuery, String version, HttpFields headers, HttpFields trailers, String body) {}

    private final String name;
    private final Server server;
    private final ServerConnector connector;
    private final java.nio.channels.SocketChannel holder;
    private final int port;
    private final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final java.util.concurrent.Semaphore sseNext = new java.util.concurrent.Semaphore(0);
    private final CountDownLatch closing = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicInteger failNext = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger healthChecks = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger connectionsOpened = new java.util.concurrent.atomic.AtomicInteger();
    private volatile int health = 200;
    private volatile int grpcStatus = 1;
    private volatile Seen lastHealthCheck;
    private volatile long delayMillis;

    Backend(String name) throws Exception {
        this.name = name;
        this.server = new Server();
        HttpConfiguration config = new HttpConfiguration();
        config.setUriCompliance(org.eclipse.jetty.http.UriCompliance.UNSAFE); // see raw paths as the proxy sent them
        this.connector = new ServerConnector(server, new HttpConnectionFactory(config), new HTTP2CServerConnectionFactory(config));
        // The port is held by a bound, never-listening socket for the backend's whole life, so after stop()
        // it refuses connections instead of being free for another server of the run to take (see
        // RefusingPort). SO_REUSEPORT on both lets the listener share the port with its holder.
        this.holder = java.nio.channels.SocketChannel.open();
        holder.setOption(java.net.StandardSocketOptions.SO_REUSEPORT, true);
        holder.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
        connector.setHost("127.0.0.1");
        this.port = ((java.net.InetSocketAddress) holder.getLocalAddress()).getPort();
        connector.setPort(port);
        connector.setReusePort(true);
        server.addConnector(connector);
        connector.addEventListener(new org.eclipse.jetty.io.Connection.Listener() {
            @Override
            public void onOpened(org.eclipse.jetty.io.Connection connection) {
                connectionsOpened.incrementAndGet();
            }
        });
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Backend.this.handle(request, response, callback);
                return true;
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            holder.close();
            throw e;
        }
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    int port() {
        return port;
    }

    String name() {
        return name;
    }

    /** The next request this backend received, waiting up to 5 s. */
    /** The next request received, or null when there is none (requests are recorded before they are answered). */
    Seen poll() {
        return seen.poll();
    }

    Seen take() throws InterruptedException {
        Seen request = seen.poll(5, TimeUnit.SECONDS);
        if (request == null) {
            throw new AssertionError("backend " + name + " received no request");
        }
        return request;
    }

    /** TCP connections accepted so far (the proxy's pool at work: keep-alive reuses one). */
    int connectionsOpened() {
        return connectionsOpened.get();
    }

    int received() {
        return seen.size();
    }

    void release() {
        release.countDown();
    }

    /** Lets {@code /sse} send its next event: called once the client has the previous one. */
    void nextEvent() {
        sseNext.release();
    }

    /** The status {@code /health} answers from now on. */
    void health(int status) {
        health = status;
    }

    /** The {@code HealthCheckResponse.status} gRPC checks get from now on (1 SERVING, 2 NOT_SERVING). */
    void grpcStatus(int status) {
        grpcStatus = status;
    }

    /** The last health check request received, or null. */
    Seen lastHealthCheck() {
        return lastHealthCheck;
    }

    /** Health check requests received so far. */
    int healthChecks() {
        return healthChecks.get();
    }

    /** The next {@code n} requests to an ordinary path get {@code 500}. */
    void failNext(int n) {
        failNext.set(n);
    }

    /** Answers to ordinary paths wait {@code millis} from now on (0: answer at once). */
    void delay(long millis) {
        delayMillis = millis;
    }

    /** Drops the requests recorded so far. */
    void forget() {
        seen.clear();
    }

    private void handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        String query = request.getHttpURI().getQuery();
        String pathQuery = query == null ? path : path + "?" + query;
        response.getHeaders().put("X-Backend", name);
        switch (path) {
            case "/bytes" -> {
                long n = Long.parseLong(param(query, "n"));
                try (OutputStream out = Content.Sink.asOutputStream(response)) {
                    writePattern(out, n);
                }
                record(request, pathQuery, null);
                callback.succeeded();
            }
            case "/hold" -> {
                record(request, pathQuery, null);
                try (org.eclipse.jetty.util.Blocker.Callback first = org.eclipse.jetty.util.Blocker.callback()) {
                    response.write(false, java.nio.ByteBuffer.allocate(64 * 1024), first);
                    first.block();
                }
                release.await(10, TimeUnit.SECONDS);
                response.write(true, java.nio.ByteBuffer.allocate(64 * 1024), callback);
            }
            case "/die" -> {
                // Announce a body, send part of it, then drop the connection.
                if (query != null && query.contains("length")) {
                    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 1_000_000L);
                }
                record(request, pathQuery, null);
                OutputStream out = Content.Sink.asOutputStream(response);
                out.write(new byte[64 * 1024]);
                out.flush();
                request.getConnectionMetaData().getConnection().getEndPoint().close();
                callback.failed(new java.io.IOException("dropped on purpose"));
            }
            case "/sse" -> {
                record(request, pathQuery, null);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
                try (OutputStream out = Content.Sink.asOutputStream(response)) {
                    for (int i = 1; i <= 3; i++) {
                        out.write(("data: " + i + "\n\n").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        if (i < 3) {
                            sseNext.tryAcquire(30, TimeUnit.SECONDS);
                        }
                    }
                }
                callback.succeeded();
            }
            case "/slow" -> {
                Thread.sleep(Long.parseLong(param(query, "ms")));
                record(request, pathQuery, null);
                Content.Sink.write(response, true, "slow", callback);
            }
            case "/upload" -> {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                long total = 0;
                try (InputStream in = Content.Source.asInputStream(request)) {
                    byte[] buffer = new byte[65536];
                    for (int r; (r = in.read(buffer)) >= 0; ) {
                        sha.update(buffer, 0, r);
                        total += r;
                    }
                }
                record(request, pathQuery, request.getTrailers());
                Content.Sink.write(response, true, "bytes=" + total + " sha256=" + HexFormat.of().formatHex(sha.digest()), callback);
            }
            case "/trailers" -> {
                record(request, pathQuery, null);
                response.getHeaders().put(HttpHeader.TRAILER, "X-Checksum");
                response.setTrailersSupplier(() -> HttpFields.build().put("X-Checksum", "abc123"));
                try (OutputStream out = Content.Sink.asOutputStream(response)) {
                    out.write("part one,".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    out.write("part two".getBytes(StandardCharsets.UTF_8));
                }
                callback.succeeded();
            }
            case "/respond" -> respond(request, response, callback, pathQuery, query);
            case "/grpc.health.v1.Health/Check" -> {
                Content.Source.consumeAll(request);
                lastHealthCheck = seen(request, pathQuery, null, null);
                healthChecks.incrementAndGet();
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/grpc");
                response.setTrailersSupplier(() -> HttpFields.build().put("grpc-status", "0"));
                response.write(true, java.nio.ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 2, 0x08, (byte) grpcStatus}), callback);
            }
            case "/health" -> {
                Content.Source.consumeAll(request);
                lastHealthCheck = seen(request, pathQuery, null, null);
                healthChecks.incrementAndGet();
                response.setStatus(health);
                Content.Sink.write(response, true, "health " + health, callback);
            }
            default -> {
                String body = Content.Source.asString(request, StandardCharsets.UTF_8);
                long delay = delayMillis;
                if (delay > 0) {
                    closing.await(delay, TimeUnit.MILLISECONDS);
                }
                seen.add(seen(request, pathQuery, null, body));
                if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    response.setStatus(500);
                }
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                Content.Sink.write(response, true, name, callback);
            }
        }
    }

    private void respond(Request request, Response response, Callback callback, String pathQuery, String query) throws Exception {
        String requestBody = Content.Source.asString(request, StandardCharsets.UTF_8);
        seen.add(seen(request, pathQuery, null, requestBody));
        java.util.Map<String, java.util.List<String>> params = new java.util.HashMap<>();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(value);
        }
        response.setStatus(Integer.parseInt(first(params, "status", "200")));
        if (params.containsKey("type")) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, first(params, "type", null));
        }
        for (String header : params.getOrDefault("header", java.util.List.of())) {
            int colon = header.indexOf(':');
            response.getHeaders().add(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
        }
        byte[] body = params.containsKey("size")
                ? "x".repeat(Integer.parseInt(first(params, "size", "0"))).getBytes(StandardCharsets.UTF_8)
                : first(params, "body", "").getBytes(StandardCharsets.UTF_8);
        int chunks = Integer.parseInt(first(params, "chunks", "0"));
        if (chunks <= 0) {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, java.nio.ByteBuffer.wrap(body), callback);
            return;
        }
        long gap = Long.parseLong(first(params, "gapMs", "0"));
        if (params.containsKey("length")) {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        }
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            int part = (body.length + chunks - 1) / chunks;
            for (int from = 0; from < body.length; from += part) {
                out.write(body, from, Math.min(part, body.length - from));
                out.flush();
                if (from == 0 && params.containsKey("hold")) {
                    release.await(10, TimeUnit.SECONDS);
                }
                if (gap > 0) {
                    Thread.sleep(gap);
                }
            }
        }
        callback.succeeded();
    }

    private static String first(java.util.Map<String, java.util.List<String>> params, String key, String otherwise) {
        java.util.List<String> values = params.get(key);
        return values == null || values.isEmpty() ? otherwise : values.get(0);
    }

    private void record(Request request, String pathQuery, HttpFields trailers) {
        seen.add(seen(request, pathQuery, trailers, null));
    }

    private static Seen seen(Request request, String pathQuery, HttpFields trailers, String body) {
        return new Seen(request.getMethod(), pathQuery, request.getConnectionMetaData().getProtocol(),
                request.getHeaders().asImmutable(), trailers == null ? null : trailers.asImmutable(), body);
    }

    /** Byte i of every /bytes body is {@code (byte) (i % 251)}, so truncation and reordering show. */
    static void writePattern(OutputStream out, long n) throws java.io.IOException {
        byte[] chunk = new byte[64 * 1024];
        long written = 0;
        while (written < n) {
            int len = (int) Math.min(chunk.length, n - written);
            for (int i = 0; i < len; i++) {
                chunk[i] = (byte) ((written + i) % 251);
            }
            out.write(chunk, 0, len);
            written += len;
        }
    }

    private static String param(String query, String key) {
        for (String pair : query.split("&")) {
            if (pair.startsWith(key + "=")) {
                return pair.substring(key.length() + 1);
            }
        }
        throw new IllegalArgumentException("missing " + key);
    }

    /** Stops serving: from now on connections to {@link #port()} are refused (the port stays held until {@link #close()}). */
    void stop() throws Exception {
        server.stop();
    }

    @Override
    public void close() throws Exception {
        release.countDown();
        closing.countDown();
        try {
            server.stop();
        } finally {
            holder.close();
        }
    }
}
