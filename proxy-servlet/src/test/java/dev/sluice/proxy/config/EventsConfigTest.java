package dev.sluice.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.observe.events.EventType;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code [events]} binds to typed values with defaults; each mistake names its key path. */
class EventsConfigTest {
    private static EventsConfig parse(String body) throws ConfigException {
        return ConfigLoader.parse(body, "test.toml").events();
    }

    @Test
    void aWebhookWithOnlyAUrlGetsTheDefaults() throws Exception {
        EventsConfig events = parse("[events.webhooks.ops]\nurl = \"https://hooks.example.com/x\"\n");
        EventsConfig.Webhook ops = events.webhooks().get("ops");
        assertEquals(URI.create("https://hooks.example.com/x"), ops.url());
        assertEquals(EventsConfig.Format.JSON, ops.format());
        assertEquals(EnumSet.allOf(EventType.class), ops.accepted(), "no filter: every type");
        assertEquals(Duration.ofSeconds(5), ops.timeout());
        assertEquals(3, ops.maxRetries());
        assertEquals(Duration.ofSeconds(1), ops.retryBackoff());
        assertEquals(1000, ops.queueSize());
        assertEquals(Map.of(), ops.headers());
        assertEquals(100, events.rateLimitStorm().threshold());
        assertEquals(Duration.ofSeconds(10), events.rateLimitStorm().window());
        assertNull(ConfigLoader.parse("[entryPoints.web]\naddress = \":80\"\n", "t.toml").events(), "no section: no events");
    }

    @Test
    void everyKeyBinds() throws Exception {
        EventsConfig events = parse("""
                [events.rateLimitStorm]
                threshold = 5
                window = "1s"
                [events.webhooks.chat]
                url = "http://127.0.0.1:9/hook"
                format = "DingTalk"
                events = ["server.down", "config.rejected"]
                timeout = "250ms"
                maxRetries = 0
                retryBackoff = "50ms"
                queueSize = 7
                [events.webhooks.chat.headers]
                X-Token = "t"
                """);
        EventsConfig.Webhook chat = events.webhooks().get("chat");
        assertEquals(EventsConfig.Format.DINGTALK, chat.format());
        assertEquals(EnumSet.of(EventType.SERVER_DOWN, EventType.CONFIG_REJECTED), chat.accepted());
        assertEquals(Duration.ofMillis(250), chat.timeout());
        assertEquals(0, chat.maxRetries());
        assertEquals(7, chat.queueSize());
        assertEquals(Map.of("X-Token", "t"), chat.headers());
        assertEquals(new EventsConfig.RateLimitStorm(5, Duration.ofSeconds(1)), events.rateLimitStorm());
    }

    @Test
    void mistakesNameTheirKeyPath() {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("url = \"ftp://example.com/x\"", "events.webhooks.ops: url: expected an http:// or https:// URL");
        cases.put("format = \"json\"", "events.webhooks.ops: url: required");
        cases.put("url = \"http://h/x\"\nformat = \"slak\"", "events.webhooks.ops.format: unknown format \"slak\" (did you mean \"slack\"?)");
        cases.put("url = \"http://h/x\"\nevents = [\"server.dwn\"]",
                "events.webhooks.ops.events[0]: unknown event type \"server.dwn\" (did you mean \"server.down\"?)");
        cases.put("url = \"http://h/x\"\ntimeout = \"0s\"", "events.webhooks.ops: timeout: must be positive");
        cases.put("url = \"http://h/x\"\nqueueSize = 0", "events.webhooks.ops: queueSize: must be 1 or more");
        cases.put("url = \"http://h/x\"\nmaxRetry = 2", "events.webhooks.ops.maxRetry: unknown key");
        cases.forEach((body, expected) -> {
            ConfigException e = assertThrows(ConfigException.class, () -> parse("[events.webhooks.ops]\n" + body + "\n"), body);
            assertTrue(e.getMessage().contains(expected), body + " -> " + e.getMessage());
        });
    }

    @Test
    void aStormThresholdMustBePositive() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("[events.rateLimitStorm]\nthreshold = 0\n"));
        assertTrue(e.getMessage().contains("events.rateLimitStorm: threshold: must be 1 or more"), e.getMessage());
    }

    @Test
    void twoFilesMayNotBothHoldEvents(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path a = java.nio.file.Files.writeString(dir.resolve("a.toml"), "[events.webhooks.x]\nurl = \"http://h/a\"\n");
        java.nio.file.Path b = java.nio.file.Files.writeString(dir.resolve("b.toml"), "[events.webhooks.y]\nurl = \"http://h/b\"\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(List.of(a, b)));
        assertTrue(e.getMessage().contains("events: defined in both"), e.getMessage());
    }
}
