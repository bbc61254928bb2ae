package dev.sluice.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.runtime.ConfigWatcher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real headless Chromium (Debian's {@code /usr/bin/chromium}, driven by
 * {@code playwright-core} from npm, installed into {@code target/playwright} when missing): it loads,
 * lists the routers of a known configuration, shows a server turn DOWN within the refresh interval
 * once its backend is stopped, shows a rejected reload's problem, and the explainer form names the
 * winning router. The script ({@code src/test/resources/dashboard/dashboard-check.cjs}) and this test
 * speak by lines: {@code @@ STOP} / {@code STOPPED}, {@code @@ BREAK} / {@code BROKEN}. Screenshots
 * go to {@code target/dashboard-screenshots}. Without chromium, node or npm the test fails, saying
 * what to install ({@code .ci/run} installs chromium).
 */
class DashboardBrowserTest {
    /** Debian's; {@code SLUICE_CHROMIUM} names another (or a missing one, to see this test fail as it should). */
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("SLUICE_CHROMIUM", "/usr/bin/chromium"));
    private static final Path PLAYWRIGHT = Path.of("target", "playwright").toAbsolutePath();
    private static final Path PLAYWRIGHT_CORE = PLAYWRIGHT.resolve("node_modules").resolve("playwright-core");
    private static final Path SHOTS = Path.of("target", "dashboard-screenshots").toAbsolutePath();
    /** The page's refresh: health checks every 200 ms, the page every 500 ms; the script allows 10 s on a loaded machine. */
    private static final int REFRESH_MS = 500;

    private static String config(Backend app, Backend shopA, Backend shopB) {
        return """
                [providers]
                providersThrottleDuration = "0s"
                [entryPoints.web]
                address = "127.0.0.1:0"
                [entryPoints.traefik]
                address = "127.0.0.1:0"
                [entryPoints.db]
                address = "127.0.0.1:0"
                [api]
                insecure = true
                dashboard = true
                [metrics.prometheus]

                [http.routers.app]
                rule = "Host(`app.test`)"
                service = "app"
                entryPoints = ["web"]
                [http.routers.shop]
                rule = "Host(`app.test`) && PathPrefix(`/cart`)"
                service = "shop"
                entryPoints = ["web"]
                middlewares = ["strip-cart"]
                [http.middlewares.strip-cart.stripPrefix]
                prefixes = ["/cart"]

                [[http.services.app.loadBalancer.servers]]
                url = "%s"
                [[http.services.shop.loadBalancer.servers]]
                url = "%s"
                [[http.services.shop.loadBalancer.servers]]
                url = "%s"
                [http.services.shop.loadBalancer.healthCheck]
                path = "/health"
                interval = "200ms"
                timeout = "1s"

                [tcp.routers.db]
                rule = "HostSNI(`*`)"
                service = "db"
                entryPoints = ["db"]
                [[tcp.services.db.loadBalancer.servers]]
                address = "127.0.0.1:5432"
                """.formatted(app.url(), shopA.url(), shopB.url());
    }

    @Test
    void theDashboardListsRoutersShowsAServerGoingDownAndExplainsARequest(@TempDir Path dir) throws Exception {
        Path node = requireTools();
        Files.createDirectories(SHOTS);
        Path file = dir.resolve("sluice.toml");
        try (Backend app = new Backend("app"); Backend shopA = new Backend("shop-a"); Backend shopB = new Backend("shop-b")) {
            Files.writeString(file, config(app, shopA, shopB));
            SluiceConfig config = ConfigLoader.load(List.of(file));
            EmbeddedServer sluice = EmbeddedServer.start(config);
            try (ConfigWatcher watcher = ConfigWatcher.start(List.of(file), config, sluice::reload, Duration.ofMillis(100),
                            sluice.runtime().reloads())) {
                String traefik = "http://127.0.0.1:" + sluice.port("traefik");
                ProcessBuilder script = new ProcessBuilder(node.toString(), Path.of("src", "test", "resources", "dashboard",
                        "dashboard-check.cjs").toAbsolutePath().toString()).redirectErrorStream(true);
                Map<String, String> env = script.environment();
                env.put("PLAYWRIGHT_CORE", PLAYWRIGHT_CORE.toString());
                env.put("CHROMIUM", CHROMIUM.toString());
                env.put("DASHBOARD_URL", traefik + "/dashboard/?refresh=" + REFRESH_MS);
                env.put("SCREENSHOTS", SHOTS.toString());
                env.put("USER_DATA_DIR", Files.createDirectories(dir.resolve("chromium-profile")).toString());
                env.put("EXPECT_ROUTERS", "app@file,shop@file,api@internal,dashboard@internal,prometheus@internal");
                env.put("STOP_SERVER", shopB.url());
                env.put("EXPLAIN_URL", "http://app.test/cart/items");
                env.put("EXPLAIN_ROUTER", "shop@file");
                env.put("OTHER_ORIGIN", "http://127.0.0.1:" + sluice.port("web") + "/");
                env.put("REJECTED_PROBLEM", "unknown service \"nowhere\"");
                env.put("WAIT_MS", "10000");
                env.put("RATED_SERVICE", "app"); // as the metrics label it
                java.net.URI appUri = java.net.URI.create("http://127.0.0.1:" + sluice.port("web") + "/");
                for (int i = 0; i < 3; i++) {
                    assertEquals(200, AuthTestSupport.get(appUri, "Host", "app.test").statusCode());
                }
                List<String> output = new ArrayList<>();
                Process process = script.start();
                // Every wait in the script is bounded; this bounds the script itself (and so the read loop below).
                java.util.concurrent.CompletableFuture.delayedExecutor(60, TimeUnit.SECONDS).execute(process::destroyForcibly);
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                        Writer in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        output.add(line);
                        System.out.println("dashboard-check: " + line);
                        switch (line) {
                            case "@@ STOP" -> {
                                shopB.close(); // a stopped backend: the health check's connection is refused
                                in.write("STOPPED\n");
                                in.flush();
                            }
                            case "@@ BREAK" -> {
                                long before = watcher.rejected();
                                Files.writeString(file, config(app, shopA, shopB).replace("service = \"app\"", "service = \"nowhere\""));
                                await("the broken configuration rejected").atMost(Duration.ofSeconds(10))
                                        .until(() -> watcher.rejected() > before);
                                in.write("BROKEN\n");
                                in.flush();
                            }
                            default -> { }
                        }
                    }
                } finally {
                    process.waitFor(60, TimeUnit.SECONDS);
                }
                String transcript = String.join("\n", output);
                assertEquals(0, process.exitValue(), transcript);
                assertTrue(output.contains("PASS"), transcript);
                assertTrue(output.contains("STEP explainer: shop@file"), transcript);
                for (String shot : List.of("1-loaded.png", "2-server-down.png", "3-explained.png")) {
                    assertTrue(Files.size(SHOTS.resolve(shot)) > 10_000, shot + " saved");
                }
            } finally {
                sluice.closeNow(); // not the graceful drain: it would wait for chromium's idle keep-alive connections
            }
        }
    }

    /** Chromium, node and playwright-core, or a failure saying what is missing; returns node's path. */
    private static Path requireTools() throws IOException, InterruptedException {
        // The same step as .ci/run's, for `mvn -B verify` on a fresh machine; each only when missing (a node
        // and npm from elsewhere conflict with Debian's packages of them). SLUICE_CHROMIUM names another chromium.
        if (!Files.isExecutable(CHROMIUM) && System.getenv("SLUICE_CHROMIUM") == null) {
            Tools.aptInstall("chromium");
        }
        if (Tools.onPath("node") == null || Tools.onPath("npm") == null) {
            Tools.aptInstall("nodejs npm");
        }
        if (!Files.isExecutable(CHROMIUM)) {
            fail(CHROMIUM + " is missing and apt-get could not install it (run as root, or apt-get install -y chromium)");
        }
        Path node = Tools.onPath("node");
        Path npm = Tools.onPath("npm");
        if (node == null || npm == null) {
            fail("node and npm are needed to drive chromium with playwright-core (apt-get install -y nodejs npm)");
        }
        if (!Files.isDirectory(PLAYWRIGHT_CORE)) {
            Process install = new ProcessBuilder(npm.toString(), "install", "--prefix", PLAYWRIGHT.toString(), "--no-audit", "--no-fund",
                    "--loglevel=error", "playwright-core@1").redirectErrorStream(true).start();
            String log = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!install.waitFor(180, TimeUnit.SECONDS) || install.exitValue() != 0 || !Files.isDirectory(PLAYWRIGHT_CORE)) {
                install.destroyForcibly();
                fail("npm install playwright-core@1 into " + PLAYWRIGHT + " failed:\n" + log);
            }
        }
        return node;
    }


}
