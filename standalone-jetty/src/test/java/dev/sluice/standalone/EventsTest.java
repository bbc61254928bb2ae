package dev.sluice.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.observe.events.WebhookReceiver;
import dev.sluice.proxy.runtime.ConfigWatcher;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code [events]} end to end: Sluice over real sockets, its webhooks posting to a receiver in the test.
 * Reloads (applied and rejected), a server going down and up through a real health check, a rate-limit
 * storm from real 429s, the process starting and stopping, and a hanging webhook that delays no request.
 */
class EventsTest {
    private WebhookReceiver receiver;
    private Backend backend;

    @BeforeEach
    void start() throws Exception {
        receiver = new WebhookReceiver();
        backend = new Backend("app");
    }

    @AfterEach
    void stop() throws Exception {
        backend.close();
        receiver.close();
    }

    private String webhook(String name, String extra) {
        return "[events.webhooks." + name + "]\nurl = \"" + receiver.url("/" + name) + "\"\n" + extra + "\n";
    }

    private static JsonNode awaitType(WebhookReceiver receiver, String path, String type) {
        await().atMost(Duration.ofSeconds(20)).until(() -> !receiver.ofType(path, type).isEmpty());
        return receiver.ofType(path, type).get(0);
    }

    @Test
    void aReloadAndARejectedReloadAreSentWithTheProblem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sluice.toml");
        String base = """
                [providers]
                providersThrottleDuration = "0s"
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.app]
                rule = "PathPrefix(`/`)"
                service = "app"
                [[http.services.app.loadBalancer.servers]]
                url = "%s"
                """.formatted(backend.url()) + webhook("all", "retryBackoff = \"10ms\"");
        Files.writeString(file, base);
        SluiceConfig config = ConfigLoader.load(List.of(file));
        try (EmbeddedServer server = EmbeddedServer.start(config);
                ConfigWatcher watcher = ConfigWatcher.start(List.of(file), config, server::reload, server.runtime().reloads())) {
            JsonNode started = awaitType(receiver, "/all", "process.started");
            assertEquals(Long.toString(ProcessHandle.current().pid()), started.get("details").get("pid").asText());

            Files.writeString(file, base + "[http.routers.other]\nrule = \"Path(`/other`)\"\nservice = \"app\"\n");
            awaitType(receiver, "/all", "config.reloaded");

            Files.writeString(file, base + "[http.routers.broken]\nrule = \"PathPrefix(`/`)\"\nservice = \"nowhere\"\n");
            JsonNode rejected = awaitType(receiver, "/all", "config.rejected");
            String error = rejected.get("details").get("error").asText();
            assertTrue(error.contains("http.routers.broken.service") && error.contains("nowhere"), error);
            assertEquals(1, receiver.ofType("/all", "config.reloaded").size(), "the rejected file is not a reload");
        }
    }

    @Test
    void aServerGoingDownAndUpThroughItsHealthCheckIsSent() throws Exception {
        String toml = """
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.app]
                rule = "PathPrefix(`/`)"
                service = "app"
                [[http.services.app.loadBalancer.servers]]
                url = "%s"
                [http.services.app.loadBalancer.healthCheck]
                path = "/health"
                interval = "100ms"
                timeout = "2s"
                """.formatted(backend.url()) + webhook("health", "events = [\"server.down\", \"server.up\"]");
        try (Sluice sluice = Sluice.start(toml)) {
            backend.health(503);
            JsonNode down = awaitType(receiver, "/health", "server.down");
            assertEquals("app", down.get("subject").asText());
            assertEquals("app", down.get("details").get("service").asText());
            assertEquals(backend.url(), down.get("details").get("url").asText());
            backend.health(200);
            JsonNode up = awaitType(receiver, "/health", "server.up");
            assertEquals(backend.url(), up.get("details").get("url").asText());
            assertEquals(List.of("server.down", "server.up"),
                    receiver.received("/health").stream().map(r -> r.body().get("type").asText()).toList(), "each transition once");
        }
    }

    @Test
    void aRateLimitStormIsSentAndAHangingWebhookDelaysNoRequest() throws Exception {
        receiver.hang("/hang");
        String toml = """
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.app]
                rule = "PathPrefix(`/`)"
                service = "app"
                middlewares = ["limit"]
                [http.middlewares.limit.rateLimit]
                average = 1
                period = "1m"
                burst = 1
                [[http.services.app.loadBalancer.servers]]
                url = "%s"
                [events.rateLimitStorm]
                threshold = 5
                window = "1m"
                """.formatted(backend.url()) + webhook("hang", "timeout = \"30s\"\nqueueSize = 1\nmaxRetries = 0")
                + webhook("fast", "events = [\"ratelimit.storm\"]");
        try (Sluice sluice = Sluice.start(toml)) {
            receiver.await("/hang", 1, 10_000); // process.started: its thread now waits for an answer that never comes
            HttpClient client = HttpClient.newHttpClient();
            long slowest = 0;
            int refused = 0;
            for (int i = 0; i < 30; i++) {
                long started = System.nanoTime();
                int status = client.send(HttpRequest.newBuilder(sluice.uri("web", "/")).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                slowest = Math.max(slowest, System.nanoTime() - started);
                refused += status == 429 ? 1 : 0;
            }
            assertEquals(29, refused, "burst 1: the first passes");
            JsonNode storm = awaitType(receiver, "/fast", "ratelimit.storm");
            assertEquals("limit", storm.get("subject").asText());
            assertEquals("6", storm.get("details").get("refused").asText(), "the first refusal over the threshold");
            assertEquals(1, receiver.ofType("/fast", "ratelimit.storm").size(), "once per window");
            long slowestMillis = Duration.ofNanos(slowest).toMillis();
            // The hanging webhook holds its thread for 30 s; a request that waited for it would show it.
            assertTrue(slowestMillis < 5_000, "slowest request " + slowestMillis + " ms");
            var hang = sluice.server.runtime().events().stats().get("hang");
            assertEquals(0, hang.delivered(), "still waiting for its first answer while the other webhook got the storm");
            assertEquals(1, hang.attempts());
        }
    }

    @Test
    void aGracefulStopSendsProcessStopping() throws Exception {
        EmbeddedServer server = EmbeddedServer.start(ConfigLoader.parse("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                """ + webhook("life", "events = [\"process.started\", \"process.stopping\"]"), "test.toml"));
        awaitType(receiver, "/life", "process.started");
        server.shutdown(); // delivers what is queued (within 2 s) before it returns
        assertEquals(List.of("process.started", "process.stopping"),
                receiver.received("/life").stream().map(r -> r.body().get("type").asText()).toList());
    }
}
