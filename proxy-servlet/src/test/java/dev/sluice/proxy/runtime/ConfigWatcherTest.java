package dev.sluice.proxy.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.SluiceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watcher's polls, called by the test itself (its own timer is an hour away): a change is
 * applied once two polls in a row read it, so a file caught half-written is never rejected.
 */
class ConfigWatcherTest {
    private static final String HEAD = """
            [providers]
            providersThrottleDuration = "0s"
            [entryPoints.web]
            address = "127.0.0.1:0"
            """;

    @TempDir
    Path dir;

    private final List<SluiceConfig> applied = new CopyOnWriteArrayList<>();
    private ConfigWatcher watcher;

    @AfterEach
    void stop() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private static String routerTo(String path) {
        return HEAD + """
                [http.routers.r]
                rule = "Path(`%s`)"
                service = "s"
                [http.services.s.loadBalancer]
                servers = [{url = "http://127.0.0.1:1"}]
                """.formatted(path);
    }

    private Path watch(String toml) throws Exception {
        Path file = Files.writeString(dir.resolve("sluice.toml"), toml);
        watcher = ConfigWatcher.start(List.of(file), ConfigLoader.load(List.of(file)), applied::add, Duration.ofHours(1));
        return file;
    }

    private String appliedRule() {
        return applied.get(applied.size() - 1).http().routers().get("r").rule().text();
    }

    @Test
    void aChangeIsAppliedOnTheSecondPollThatReadsIt() throws Exception {
        Path file = watch(routerTo("/one"));
        watcher.poll();
        assertEquals(0, watcher.applied(), "nothing changed");

        Files.writeString(file, routerTo("/two"));
        watcher.poll();
        assertEquals(0, watcher.applied(), "seen once: it may still be being written");
        watcher.poll();
        assertEquals(1, watcher.applied());
        assertEquals("Path(`/two`)", appliedRule());
        watcher.poll();
        assertEquals(1, watcher.applied(), "applied once");
    }

    @Test
    void aFileCaughtHalfWrittenIsReadAgainInsteadOfRejected() throws Exception {
        Path file = watch(routerTo("/one"));
        String whole = routerTo("/two");
        Files.writeString(file, whole.substring(0, whole.indexOf("rule = ") + 12)); // cut inside the rule's string
        watcher.poll();
        Files.writeString(file, whole); // the writer finished
        watcher.poll();
        watcher.poll();
        assertEquals(0, watcher.rejected(), "the half file was never loaded");
        assertEquals(1, watcher.applied());
        assertEquals("Path(`/two`)", appliedRule());
    }

    @Test
    void aFileTruncatedByAStalledWriterIsNeverApplied() throws Exception {
        Path file = watch(routerTo("/one"));
        Files.writeString(file, ""); // truncated; the writer is descheduled before it writes
        for (int i = 0; i < 5; i++) {
            watcher.poll();
        }
        assertEquals(0, watcher.applied(), "an empty configuration would drop every entry point");
        assertEquals(0, watcher.rejected());
        Files.writeString(file, routerTo("/two"));
        watcher.poll();
        watcher.poll();
        assertEquals(1, watcher.applied());
        assertEquals("Path(`/two`)", appliedRule());
    }

    @Test
    void aBrokenFileThatStaysBrokenIsRejectedAndTheOldConfigurationStays() throws Exception {
        Path file = watch(routerTo("/one"));
        Files.writeString(file, routerTo("/two").replace("service = \"s\"", "service = \"nope\""));
        watcher.poll();
        watcher.poll();
        assertEquals(1, watcher.rejected());
        assertTrue(applied.isEmpty(), "nothing applied: the running configuration keeps serving");
        watcher.poll();
        assertEquals(1, watcher.rejected(), "rejected once, not at every poll");
    }
}
