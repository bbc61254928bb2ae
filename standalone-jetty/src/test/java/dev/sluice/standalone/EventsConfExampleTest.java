package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.EventsConfig;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.observe.events.EventType;
import dev.sluice.proxy.observe.events.WebhookReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** conf/events.toml loads as its comments say, and its two webhooks get what they ask for. */
class EventsConfExampleTest {
    private static final Path FILE = Path.of("..", "conf", "events.toml");

    @Test
    void theExampleLoadsAndItsWebhooksReceiveTheirEvents() throws Exception {
        EventsConfig events = ConfigLoader.load(List.of(FILE)).events();
        EventsConfig.Webhook audit = events.webhooks().get("audit");
        assertEquals(EventsConfig.Format.JSON, audit.format());
        assertEquals(EnumSet.allOf(EventType.class), audit.accepted());
        assertEquals(Duration.ofSeconds(2), audit.timeout());
        assertEquals(Duration.ofMillis(500), audit.retryBackoff());
        EventsConfig.Webhook oncall = events.webhooks().get("oncall");
        assertEquals(EventsConfig.Format.SLACK, oncall.format());
        assertEquals(EnumSet.of(EventType.SERVER_DOWN, EventType.SERVER_UP, EventType.CONFIG_REJECTED, EventType.CERTIFICATE_FAILED,
                EventType.RATE_LIMIT_STORM), oncall.accepted());
        assertEquals(new EventsConfig.RateLimitStorm(100, Duration.ofSeconds(10)), events.rateLimitStorm());

        try (WebhookReceiver receiver = new WebhookReceiver(); Backend backend = new Backend("9001")) {
            backend.health(503);
            String text = Files.readString(FILE)
                    .replace("http://127.0.0.1:9100/sluice-events", receiver.url("/audit").toString())
                    .replace("https://hooks.slack.com/services/T000/B000/XXXXXXXX", receiver.url("/oncall").toString())
                    .replace("interval = \"5s\"", "interval = \"100ms\"");
            SluiceConfig config = Configs.servers(Configs.entryPointsOnLoopback(ConfigLoader.parse(text, "events.toml"), Set.of("web")),
                    url -> url.replace("127.0.0.1:9001", "127.0.0.1:" + backend.port()));
            try (Sluice sluice = Sluice.start(config)) {
                JsonNode down = receiver.await("/oncall", 1, 20_000).get(0).body();
                assertEquals(1, down.size(), "slack: text only");
                assertEquals("Sluice server.down: app (service app, url " + backend.url() + ")", down.get("text").asText());
                List<WebhookReceiver.Received> audited = receiver.await("/audit", 2, 20_000);
                assertEquals(Set.of("process.started", "server.down"),
                        Set.of(audited.get(0).body().get("type").asText(), audited.get(1).body().get("type").asText()), "audit hears everything");
                assertEquals("Bearer change-me", audited.get(0).header("Authorization"));
            }
        }
    }
}
