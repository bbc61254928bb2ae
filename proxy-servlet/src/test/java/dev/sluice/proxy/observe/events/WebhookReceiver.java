package dev.sluice.proxy.observe.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook endpoint for tests, on 127.0.0.1 and a port of its own: records every POST by path, and
 * answers each path as told (a sequence of statuses, the last repeated; 200 by default), or never
 * ({@link #hang}) until closed.
 */
public final class WebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received: its path, headers and parsed body. */
    public record Received(String path, Map<String, List<String>> headers, JsonNode body) {
        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final List<Received> received = new ArrayList<>();
    private final Map<String, Deque<Integer>> statuses = new ConcurrentHashMap<>();
    private final Map<String, Boolean> hanging = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] body = exchange.getRequestBody().readAllBytes();
        hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        synchronized (received) {
            received.add(new Received(path, Map.copyOf(exchange.getRequestHeaders()), JSON.readTree(body)));
            received.notifyAll();
        }
        if (hanging.containsKey(path)) {
            try {
                closed.await(30, TimeUnit.SECONDS); // bounded: a test that forgets to close does not hang forever
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        int status = 200;
        Deque<Integer> script = statuses.get(path);
        if (script != null) {
            synchronized (script) {
                status = script.size() > 1 ? script.poll() : script.isEmpty() ? 200 : script.peek();
            }
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    /** {@code path} answers these statuses in turn, the last one from then on. */
    public void respond(String path, int... sequence) {
        Deque<Integer> script = new ArrayDeque<>();
        for (int s : sequence) {
            script.add(s);
        }
        statuses.put(path, script);
    }

    /** {@code path} reads the request and never answers (until {@link #close()}). */
    public void hang(String path) {
        hanging.put(path, true);
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** Requests {@code path} received so far, retries included. */
    public int hits(String path) {
        AtomicInteger n = hits.get(path);
        return n == null ? 0 : n.get();
    }

    /** What {@code path} received, in order. */
    public List<Received> received(String path) {
        synchronized (received) {
            return received.stream().filter(r -> r.path().equals(path)).toList();
        }
    }

    /** The bodies {@code path} received whose {@code type} is {@code type}. */
    public List<JsonNode> ofType(String path, String type) {
        return received(path).stream().map(Received::body).filter(b -> type.equals(b.path("type").asText())).toList();
    }

    /** Waits at most {@code millis} for {@code path} to have received {@code n} requests. */
    public List<Received> await(String path, int n, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (received) {
            while (received(path).size() < n) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError(path + ": expected " + n + " request(s) within " + millis + " ms, got " + received(path));
                }
                received.wait(left);
            }
            return received(path);
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
