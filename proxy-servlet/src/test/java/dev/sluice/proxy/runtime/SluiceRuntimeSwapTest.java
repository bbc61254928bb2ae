package dev.sluice.proxy.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.service.LoadBalancer;
import dev.sluice.proxy.service.Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a swap takes over, what it replaces, and what a failed build leaves behind (nothing). */
class SluiceRuntimeSwapTest {
    private static SluiceConfig config(String extra, String idleConnTimeout, String average, Path site) throws Exception {
        return ConfigLoader.parse("""
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "s"
                middlewares = ["limit"]
                %s
                [http.middlewares.limit.rateLimit]
                average = %s
                [http.services.s.loadBalancer]
                serversTransport = "t"
                [[http.services.s.loadBalancer.servers]]
                url = "http://127.0.0.1:9"
                [http.services.site.static]
                root = "%s"
                [http.serversTransports.t.forwardingTimeouts]
                idleConnTimeout = "%s"
                """.formatted(extra, average, site, idleConnTimeout), "swap.toml");
    }

    private static Server server(SluiceRuntime runtime) {
        return ((LoadBalancer) runtime.current().service("s")).servers().get(0);
    }

    @Test
    void unchangedPartsAreTakenOverAndChangedOnesReplaced(@TempDir Path dir) throws Exception {
        Path site = Files.createDirectory(dir.resolve("site"));
        try (SluiceRuntime runtime = SluiceRuntime.start(config("", "90s", "10", site))) {
            Server before = server(runtime);
            var limiter = runtime.current().middlewares(null, runtime.current().routes(null).routers().get(0))[0];
            var client = runtime.clients().get("t");
            int listeners = before.health().listenerCount(); // the balancer, and the runtime's server.up/down events
            assertTrue(listeners >= 1);

            runtime.swap(config("[http.routers.other]\nrule = \"Path(`/o`)\"\nservice = \"s\"", "90s", "10", site));
            Server after = server(runtime);
            assertNotSame(before, after, "a new snapshot, new servers");
            assertSame(before.health(), after.health(), "with the same live state");
            assertEquals(listeners, after.health().listenerCount(), "the retired balancer stopped listening");
            assertSame(limiter, runtime.current().middlewares(null, runtime.current().routes(null).routers().get(0))[0],
                    "the unchanged middleware is the same instance, buckets included");
            assertSame(client, runtime.clients().get("t"), "the unchanged transport keeps its client");

            runtime.swap(config("", "60s", "20", site));
            assertNotSame(limiter, runtime.current().middlewares(null, runtime.current().routes(null).routers().get(0))[0],
                    "changed options, a new instance");
            assertNotSame(client, runtime.clients().get("t"), "a changed transport gets a new client");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !client.isRunning());
        }
    }

    @Test
    void aFailedBuildLeavesTheRunningSnapshotAndNothingBehind(@TempDir Path dir) throws Exception {
        Path site = Files.createDirectory(dir.resolve("site"));
        try (SluiceRuntime runtime = SluiceRuntime.start(config("", "90s", "10", site))) {
            Snapshot serving = runtime.current();
            var client = runtime.clients().get("t");
            int listeners = server(runtime).health().listenerCount();
            // Valid when loaded, unbuildable when swapped in: the static root is gone by then; the new transport's client must go too.
            Path doomed = Files.createDirectory(dir.resolve("doomed"));
            SluiceConfig next = config("", "30s", "10", doomed);
            Files.delete(doomed);
            assertThrows(IllegalArgumentException.class, () -> runtime.swap(next));
            assertSame(serving, runtime.current(), "the running snapshot keeps serving");
            assertEquals(listeners, server(runtime).health().listenerCount(), "the failed build's balancer does not listen on");
            assertSame(client, runtime.clients().get("t"));
            assertTrue(client.isRunning());
        }
    }
}
