package dev.sluice.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.runtime.ConfigWatcher;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live reload over real sockets: a watched file rewritten under load, state carried across reloads
 * (health, rate-limit buckets, circuit breakers, pooled upstream connections), broken files that
 * never interrupt traffic.
 */
class ReloadTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private Watched watched;
    private EmbeddedServer sluice;
    private ConfigWatcher watcher;

    @AfterEach
    void close() throws Exception {
        if (watched != null) {
            watched.close();
        }
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private void watch(Path file) throws Exception {
        watched = Watched.start(file);
        sluice = watched.server;
        watcher = watched.watcher;
    }

    private Backend backend(String name) throws Exception {
        Backend backend = new Backend(name);
        open.add(backend);
        return backend;
    }

    /** Starts Sluice on {@code file} (written with {@code toml}) and watches it. */
    private Path start(String toml) throws Exception {
        Path file = dir.resolve("sluice.toml");
        Files.writeString(file, toml);
        watch(file);
        return file;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sluice.port("web") + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Writes {@code toml} as an editor that saves by rename does. */
    private static void replace(Path file, String toml) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, toml);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String underLoad(int generation, String backendA, String backendB) {
        // Each generation changes a middleware (the header value), the weights, and adds a router.
        return """
                [providers]
                providersThrottleDuration = "50ms"
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.main]
                rule = "PathPrefix(`/`)"
                service = "pool"
                middlewares = ["gen"]
                [http.routers.extra-%1$d]
                rule = "Path(`/extra/%1$d`)"
                service = "pool"
                [http.middlewares.gen.headers.customResponseHeaders]
                X-Generation = "%1$d"
                [http.services.pool.loadBalancer]
                [[http.services.pool.loadBalancer.servers]]
                url = "%2$s"
                weight = %3$d
                [[http.services.pool.loadBalancer.servers]]
                url = "%4$s"
                weight = 1
                """.formatted(generation, backendA, 1 + generation % 3, backendB);
    }

    @Test
    void fiftyRewritesUnderContinuousTrafficFailNoRequestAndEachAppliesWithinTwoSeconds() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        Path file = start(underLoad(0, a.url(), b.url()));
        int port = sluice.port("web");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread client = new Thread(() -> {
                while (running.get() && failure.get() == null && sent.get() < 200_000) {
                    try {
                        HttpResponse<String> response = get("/load");
                        if (response.statusCode() != 200) {
                            failure.compareAndSet(null, "status " + response.statusCode() + ": " + response.body());
                        }
                        sent.incrementAndGet();
                    } catch (Exception e) {
                        failure.compareAndSet(null, e.toString());
                    }
                }
            });
            client.start();
            clients.add(client);
        }
        try {
            for (int generation = 1; generation <= 50; generation++) {
                String toml = underLoad(generation, a.url(), b.url());
                if (generation % 2 == 0) {
                    replace(file, toml);
                } else {
                    Files.writeString(file, toml); // in place
                }
                String expected = String.valueOf(generation);
                long started = System.nanoTime();
                await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10))
                        .until(() -> expected.equals(get("/").headers().firstValue("X-Generation").orElse(null)));
                assertEquals(200, get("/extra/" + generation).statusCode(), "the router added by generation " + generation);
                assertTrue(System.nanoTime() - started < Duration.ofSeconds(2).toNanos());
                assertEquals(null, failure.get(), "a request failed during generation " + generation);
            }
        } finally {
            running.set(false);
            for (Thread client : clients) {
                client.join(10_000);
            }
        }
        assertEquals(null, failure.get());
        assertTrue(sent.get() > 100, "requests sent while reloading: " + sent.get());
        assertEquals("50", get("/extra/1").headers().firstValue("X-Generation").orElse(null),
                "a router removed by a later generation is gone: the main router serves its path");
        assertEquals(port, sluice.port("web"), "the unchanged entry point kept its listener");
        assertEquals(50, watcher.applied());
        assertEquals(0, watcher.rejected());
    }

    /** Backend c serves only /pooled: no health check shares its connections. */
    private static String withState(String backendA, String backendB, String backendC, String extraRouter) {
        return """
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.checked]
                rule = "PathPrefix(`/checked`)"
                service = "checked"
                [http.routers.limited]
                rule = "PathPrefix(`/limited`)"
                service = "single"
                middlewares = ["limit"]
                [http.routers.breaker]
                rule = "PathPrefix(`/breaker`)"
                service = "single"
                middlewares = ["cb"]
                [http.routers.pooled]
                rule = "PathPrefix(`/pooled`)"
                service = "pooled"
                %4$s
                [http.middlewares.limit.rateLimit]
                average = 1
                period = "1m"
                burst = 1
                [http.middlewares.cb.circuitBreaker]
                expression = "ResponseCodeRatio(500, 600, 0, 600) > 0.5"
                checkPeriod = "10ms"
                fallbackDuration = "1m"
                [http.services.checked.loadBalancer.healthCheck]
                path = "/health"
                interval = "100ms"
                timeout = "80ms"
                [[http.services.checked.loadBalancer.servers]]
                url = "%1$s"
                [[http.services.checked.loadBalancer.servers]]
                url = "%2$s"
                [[http.services.single.loadBalancer.servers]]
                url = "%1$s"
                [[http.services.pooled.loadBalancer.servers]]
                url = "%3$s"
                """.formatted(backendA, backendB, backendC, extraRouter);
    }

    private static final String UNRELATED = """
            [http.routers.unrelated]
            rule = "PathPrefix(`/unrelated`)"
            service = "single"
            """;

    @Test
    void stateOfUnchangedPartsSurvivesAReload() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        Backend c = backend("c");
        Path file = start(withState(a.url(), b.url(), c.url(), ""));

        // A server marked down by its health check; its checks then hang, so only carried state can keep it out.
        b.health(503);
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            for (int i = 0; i < 4; i++) {
                if (!"a".equals(get("/checked").body())) {
                    return false;
                }
            }
            return true;
        });
        b.delay(10_000);
        // An empty rate-limit bucket.
        assertEquals(200, get("/limited").statusCode());
        assertEquals(429, get("/limited").statusCode());
        // An open circuit breaker.
        a.failNext(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> get("/breaker").statusCode() == 503);
        // One pooled upstream connection.
        assertEquals(200, get("/pooled").statusCode());
        int connections = c.connectionsOpened();
        // Back in the pool (the client may have the last byte first), so the next /pooled can reuse it.
        await().atMost(Duration.ofSeconds(5)).until(() -> idleConnections(sluice.runtime().clients().get("default"), c.port()) == 1);

        sluice.reload(ConfigLoader.load(List.of(writeAndReturn(file, withState(a.url(), b.url(), c.url(), UNRELATED)))));
        assertEquals(200, get("/unrelated").statusCode(), "the reload applied");

        int bBefore = b.received();
        for (int i = 0; i < 10; i++) {
            assertEquals("a", get("/checked").body(), "the server marked down stays down");
        }
        assertEquals(bBefore, b.received());
        assertEquals(429, get("/limited").statusCode(), "the empty bucket stays empty");
        assertEquals(503, get("/breaker").statusCode(), "the open breaker stays open");
        assertEquals(200, get("/pooled").statusCode());
        assertEquals(connections, c.connectionsOpened(), "the unchanged transport keeps its pooled connection");
    }

    private static int idleConnections(org.eclipse.jetty.client.HttpClient client) {
        return idleConnections(client, -1);
    }

    /** Idle pooled connections of {@code client} to {@code port} (-1: any). */
    private static int idleConnections(org.eclipse.jetty.client.HttpClient client, int port) {
        return client.getDestinations().stream().filter(d -> port < 0 || d.getOrigin().getAddress().getPort() == port)
                .mapToInt(d -> ((org.eclipse.jetty.client.AbstractConnectionPool) d.getConnectionPool()).getIdleConnectionCount()).sum();
    }

    private static Path writeAndReturn(Path file, String toml) throws IOException {
        Files.writeString(file, toml);
        return file;
    }

    @Test
    void aChangedTransportGetsNewConnectionsAndTheOldPoolIsStopped() throws Exception {
        Backend a = backend("a");
        String config = """
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "s"
                [http.services.s.loadBalancer]
                serversTransport = "t"
                [[http.services.s.loadBalancer.servers]]
                url = "%s"
                [http.serversTransports.t.forwardingTimeouts]
                idleConnTimeout = "%s"
                """;
        Path file = start(config.formatted(a.url(), "90s"));
        var oldClient = sluice.runtime().clients().get("t");
        assertEquals(200, get("/").statusCode());
        // The client may have the last byte before the upstream connection is back in the pool.
        await().atMost(Duration.ofSeconds(5)).until(() -> idleConnections(oldClient) == 1);
        assertEquals(200, get("/").statusCode());
        assertEquals(1, a.connectionsOpened());

        sluice.reload(ConfigLoader.load(List.of(writeAndReturn(file, config.formatted(a.url(), "60s")))));
        assertEquals(200, get("/").statusCode());
        assertEquals(2, a.connectionsOpened(), "a new transport, a new pool");
        assertTrue(sluice.runtime().clients().get("t") != oldClient);
        await().atMost(Duration.ofSeconds(10)).until(() -> !oldClient.isRunning());
    }

    @Test
    void aBrokenFileNeverInterruptsTrafficAndTheFixApplies() throws Exception {
        Backend a = backend("a");
        String good = """
                [providers]
                providersThrottleDuration = "0s"
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "s"
                [[http.services.s.loadBalancer.servers]]
                url = "%s"
                """.formatted(a.url());
        Path file = start(good);
        List<String> broken = List.of(
                good + "\n[http.routers.x\n", // TOML syntax error
                good.replace("service = \"s\"", "service = \"nope\""), // unknown service
                good.replace("PathPrefix(`/`)", "PathPrefix(`/`) &&")); // bad rule
        for (int i = 0; i < broken.size(); i++) {
            Files.writeString(file, broken.get(i));
            int rejections = i + 1;
            await().atMost(Duration.ofSeconds(3)).until(() -> watcher.rejected() == rejections);
            assertEquals(200, get("/").statusCode(), "still serving after broken file " + i);
        }
        Files.writeString(file, good.replace("PathPrefix(`/`)", "PathPrefix(`/fixed`)"));
        await().atMost(Duration.ofSeconds(3)).until(() -> get("/fixed").statusCode() == 200 && get("/").statusCode() == 404);
        assertEquals(1, watcher.applied());
    }

    @Test
    void entryPointsAreAddedAndRemovedAtRunTime() throws Exception {
        Backend a = backend("a");
        String base = """
                [entryPoints.web]
                address = "127.0.0.1:0"
                %s
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "s"
                [[http.services.s.loadBalancer.servers]]
                url = "%s"
                """;
        Path file = start(base.formatted("", a.url()));
        int web = sluice.port("web");
        String withAdmin = base.formatted("""
                [entryPoints.admin]
                address = "127.0.0.1:0"
                [entryPoints.admin.transport.lifeCycle]
                graceTimeOut = "1s"
                """, a.url());
        sluice.reload(ConfigLoader.load(List.of(writeAndReturn(file, withAdmin))));
        int admin = sluice.port("admin");
        assertEquals(200, CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(web, sluice.port("web"), "the unchanged entry point kept its listener");

        var adminConnector = sluice.connectors().get("admin");
        sluice.reload(ConfigLoader.load(List.of(writeAndReturn(file, base.formatted("", a.url())))));
        assertFalse(sluice.connectors().containsKey("admin"));
        assertFalse(adminConnector.isOpen(), "the removed entry point no longer accepts");
        await().atMost(Duration.ofSeconds(5)).until(() -> !adminConnector.isRunning());
        assertEquals(200, get("/").statusCode());
    }
}
