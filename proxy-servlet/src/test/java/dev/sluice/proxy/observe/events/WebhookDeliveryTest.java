package dev.sluice.proxy.observe.events;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.EventsConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Events posted to a real HTTP server on 127.0.0.1: payload shapes, filters, retries, isolation, overflow. */
class WebhookDeliveryTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private WebhookReceiver receiver;
    private EventBus bus;

    @BeforeEach
    void start() throws Exception {
        receiver = new WebhookReceiver();
        bus = new EventBus(Clock.fixed(T0, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        bus.close(Duration.ofMillis(100));
        receiver.close();
    }

    private EventsConfig events(String toml) throws Exception {
        return ConfigLoader.parse(toml.replace("RECEIVER", receiver.url("").toString()), "events.toml").events();
    }

    private void serverDown() {
        bus.publish(EventType.SERVER_DOWN, "api", Event.details("service", "api", "url", "http://10.0.0.1:8080"));
    }

    @Test
    void eachFormatHasItsPayloadShape() throws Exception {
        StringBuilder toml = new StringBuilder();
        for (String format : new String[] {"json", "slack", "discord", "wecom", "dingtalk", "feishu"}) {
            toml.append("[events.webhooks.").append(format).append("]\nurl = \"RECEIVER/").append(format).append("\"\nformat = \"")
                    .append(format).append("\"\n");
        }
        bus.apply(events(toml.toString()));
        serverDown();
        String text = "Sluice server.down: api (service api, url http://10.0.0.1:8080)";

        JsonNode json = receiver.await("/json", 1, 10_000).get(0).body();
        assertEquals("server.down", json.get("type").asText());
        assertEquals("2026-12-03T10:00:00Z", json.get("time").asText());
        assertEquals("api", json.get("subject").asText());
        assertEquals("http://10.0.0.1:8080", json.get("details").get("url").asText());
        assertEquals("api", json.get("details").get("service").asText());
        assertEquals(text, json.get("text").asText());
        assertEquals("application/json; charset=utf-8", receiver.received("/json").get(0).header("Content-Type"));

        JsonNode slack = receiver.await("/slack", 1, 10_000).get(0).body();
        assertEquals(1, slack.size());
        assertEquals(text, slack.get("text").asText());

        JsonNode discord = receiver.await("/discord", 1, 10_000).get(0).body();
        assertEquals(1, discord.size());
        assertEquals(text, discord.get("content").asText());

        JsonNode wecom = receiver.await("/wecom", 1, 10_000).get(0).body();
        assertEquals("markdown", wecom.get("msgtype").asText());
        String md = wecom.get("markdown").get("content").asText();
        assertTrue(md.startsWith("### Sluice server.down: api\n") && md.contains("- url: http://10.0.0.1:8080"), md);

        JsonNode dingtalk = receiver.await("/dingtalk", 1, 10_000).get(0).body();
        assertEquals("markdown", dingtalk.get("msgtype").asText());
        assertEquals("Sluice server.down", dingtalk.get("markdown").get("title").asText());
        assertEquals(md, dingtalk.get("markdown").get("text").asText());

        JsonNode feishu = receiver.await("/feishu", 1, 10_000).get(0).body();
        assertEquals("text", feishu.get("msg_type").asText());
        assertEquals(text, feishu.get("content").get("text").asText());
    }

    @Test
    void theFilterSendsOnlyTheListedTypesAndHeadersAreAdded() throws Exception {
        bus.apply(events("""
                [events.webhooks.all]
                url = "RECEIVER/all"
                [events.webhooks.downs]
                url = "RECEIVER/downs"
                events = ["server.down"]
                [events.webhooks.downs.headers]
                Authorization = "Bearer s3cret"
                """));
        bus.publish(EventType.SERVER_UP, "api", Map.of());
        bus.publish(EventType.CONFIG_RELOADED, "configuration", Map.of());
        serverDown();
        receiver.await("/all", 3, 10_000);
        WebhookReceiver.Received only = receiver.await("/downs", 1, 10_000).get(0);
        assertEquals("server.down", only.body().get("type").asText());
        assertEquals("Bearer s3cret", only.header("Authorization"));
        await().atMost(Duration.ofSeconds(10)).until(() -> bus.stats().get("all").delivered() == 3);
        assertEquals(1, bus.stats().get("downs").attempts(), "the others never reached its queue");
    }

    @Test
    void a503IsRetriedWithBackOffUntilItSucceeds() throws Exception {
        receiver.respond("/flaky", 503, 503, 200);
        bus.apply(events("""
                [events.webhooks.flaky]
                url = "RECEIVER/flaky"
                maxRetries = 3
                retryBackoff = "20ms"
                """));
        serverDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> bus.stats().get("flaky").delivered() == 1);
        assertEquals(3, receiver.hits("/flaky"));
        assertEquals(new WebhookStats(1, 0, 0, 3), bus.stats().get("flaky"));
    }

    @Test
    void retriesAreBoundedAndA400IsNeverRetried() throws Exception {
        receiver.respond("/down", 503);
        receiver.respond("/bad", 400);
        bus.apply(events("""
                [events.webhooks.down]
                url = "RECEIVER/down"
                maxRetries = 2
                retryBackoff = "10ms"
                [events.webhooks.bad]
                url = "RECEIVER/bad"
                retryBackoff = "10ms"
                """));
        serverDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> bus.stats().get("down").failed() == 1 && bus.stats().get("bad").failed() == 1);
        assertEquals(3, receiver.hits("/down"), "the first attempt and maxRetries = 2");
        assertEquals(1, receiver.hits("/bad"), "4xx: the webhook refuses it, no retry");
        assertEquals(new WebhookStats(0, 1, 0, 1), bus.stats().get("bad"));
    }

    @Test
    void aConnectionClosedWithoutAnAnswerIsRetriedThenGivenUp() throws Exception {
        // A listener that accepts and closes at once: every attempt fails on the connection, never with a status.
        try (java.net.ServerSocket closer = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread accepting = new Thread(() -> {
                for (int i = 0; i < 10 && !closer.isClosed(); i++) {
                    try (java.net.Socket s = closer.accept()) {
                        s.setSoLinger(true, 0); // reset, not a clean end
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            accepting.start();
            bus.apply(events("[events.webhooks.gone]\nurl = \"http://127.0.0.1:" + closer.getLocalPort()
                    + "/gone\"\nmaxRetries = 1\nretryBackoff = \"10ms\"\ntimeout = \"5s\"\n"));
            serverDown();
            await().atMost(Duration.ofSeconds(15)).until(() -> bus.stats().get("gone").failed() == 1);
            assertEquals(2, bus.stats().get("gone").attempts());
        }
    }

    @Test
    void aHangingWebhookDelaysNeitherPublishersNorAnotherWebhookAndItsOverflowIsCounted() throws Exception {
        receiver.hang("/hang");
        bus.apply(events("""
                [events.webhooks.hang]
                url = "RECEIVER/hang"
                timeout = "30s"
                maxRetries = 0
                queueSize = 2
                [events.webhooks.fast]
                url = "RECEIVER/fast"
                """));
        serverDown();
        receiver.await("/hang", 1, 10_000); // its thread now waits for an answer that never comes
        long started = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            bus.publish(EventType.SERVER_UP, "api", Map.of("n", Integer.toString(i)));
        }
        long publishMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertTrue(publishMillis < 1_000, "publishing never waits for a webhook: " + publishMillis + " ms");
        receiver.await("/fast", 11, 10_000);
        assertEquals(8, bus.stats().get("hang").dropped(), "two queued behind the one in flight, eight dropped");
        assertEquals(8, bus.dropped());
        assertEquals(1, receiver.hits("/hang"));
    }

    @Test
    void aReloadReplacesChangedWebhooksLiveAndKeepsTheOthers() throws Exception {
        bus.apply(events("[events.webhooks.a]\nurl = \"RECEIVER/a\"\n[events.webhooks.b]\nurl = \"RECEIVER/b\"\n"));
        serverDown();
        receiver.await("/a", 1, 10_000);
        receiver.await("/b", 1, 10_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> bus.stats().get("b").delivered() == 1);
        bus.apply(events("[events.webhooks.a]\nurl = \"RECEIVER/a2\"\n[events.webhooks.b]\nurl = \"RECEIVER/b\"\n"));
        assertEquals(1, bus.stats().get("b").delivered(), "b unchanged: the same target, its counts kept");
        assertEquals(0, bus.stats().get("a").attempts(), "a changed: a new target");
        serverDown();
        receiver.await("/a2", 1, 10_000);
        receiver.await("/b", 2, 10_000);
        assertEquals(1, receiver.received("/a").size());
    }
}
