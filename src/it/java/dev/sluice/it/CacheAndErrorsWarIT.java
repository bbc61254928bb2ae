package dev.sluice.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cache and errors middlewares inside sluice.war, in Tomcat and in Jetty: both hold responses
 * back past the proxy's completion, and the cache resumes the filter chain from its own threads (the
 * disk tier's, the stampede lock's), which each container must allow.
 */
class CacheAndErrorsWarIT {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final ExecutorService upstreamThreads = Executors.newCachedThreadPool();
    private HttpServer upstream;

    @TempDir
    Path tmp;

    /** fresh: cacheable; slow: cacheable after 700 ms; broken: 503; page: the error page. */
    @BeforeEach
    void startUpstream() throws Exception {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        upstream.setExecutor(upstreamThreads);
        upstream.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            switch (path) {
                case "/fresh" -> answer(exchange, 200, "max-age=60", "fresh");
                case "/slow" -> {
                    try {
                        Thread.sleep(700);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    answer(exchange, 200, "max-age=60", "slow");
                }
                case "/broken" -> answer(exchange, 503, "no-store", "upstream secret");
                case "/page" -> answer(exchange, 200, "no-store", "the page");
                default -> answer(exchange, 404, "no-store", "none");
            }
        });
        upstream.start();
    }

    private static void answer(HttpExchange exchange, int status, String cacheControl, String body) throws java.io.IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Cache-Control", cacheControl);
        exchange.getResponseHeaders().add("Content-Type", "text/plain");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @AfterEach
    void stopUpstream() {
        upstream.stop(0);
        upstreamThreads.shutdownNow();
    }

    private int hits(String path) {
        return hits.getOrDefault(path, new AtomicInteger()).get();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tomcat", "jetty"})
    void cachesWaitsAndReplacesErrorPagesInTheContainer(String container) throws Exception {
        WarContract war = container.equals("tomcat") ? new TomcatWarIT() : new JettyWarIT();
        war.tmp = Files.createDirectories(tmp.resolve(container));
        if (war instanceof TomcatWarIT tomcat) {
            tomcat.createTomcat();
        } else {
            ((JettyWarIT) war).createJetty();
        }
        String origin = "http://127.0.0.1:" + upstream.getAddress().getPort();
        Path toml = Files.writeString(tmp.resolve(container + ".toml"), """
                [http.routers.all]
                rule = "PathPrefix(`/`)"
                service = "app"
                middlewares = ["pages", "store"]
                [http.middlewares.pages.errors]
                status = ["503"]
                service = "app"
                query = "/page"
                [http.middlewares.store.cache]
                lock = "10s"
                directory = "%s"
                [http.services.app.loadBalancer]
                servers = [{url = "%s"}]
                """.formatted(tmp.resolve(container + "-cache").toString().replace("\\", "\\\\"), origin));
        war.deploy("/", WarContract.params("config", toml.toString()));
        try {
            war.start();
            String base = "http://127.0.0.1:" + war.port();

            assertEquals("MISS", send(base + "/fresh").headers().firstValue("X-Cache-Status").orElse(null));
            HttpResponse<String> hit = send(base + "/fresh");
            assertEquals("HIT", hit.headers().firstValue("X-Cache-Status").orElse(null));
            assertEquals("fresh", hit.body());
            assertEquals(1, hits("/fresh"));

            CompletableFuture<HttpResponse<String>> first = client.sendAsync(request(base + "/slow"), HttpResponse.BodyHandlers.ofString());
            // The first one is upstream (for 700 ms): the next ones wait for it on the cache's lock.
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> hits("/slow") >= 1);
            List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                waiting.add(client.sendAsync(request(base + "/slow"), HttpResponse.BodyHandlers.ofString()));
            }
            assertEquals("slow", first.get().body());
            for (CompletableFuture<HttpResponse<String>> other : waiting) {
                assertEquals("slow", other.get().body());
                assertEquals("HIT", other.get().headers().firstValue("X-Cache-Status").orElse(null));
            }
            assertEquals(1, hits("/slow"), "one upstream request for five clients");

            HttpResponse<String> broken = send(base + "/broken");
            assertEquals(503, broken.statusCode());
            assertEquals("the page", broken.body());
            assertTrue(hits("/page") == 1 && hits("/broken") == 1, hits.toString());
        } finally {
            war.stop();
        }
    }

    private HttpRequest request(String uri) {
        return HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(20)).build();
    }

    private HttpResponse<String> send(String uri) throws Exception {
        return client.send(request(uri), HttpResponse.BodyHandlers.ofString());
    }
}
