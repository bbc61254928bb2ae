package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice run} and the default command in a JVM of their own, as the jar runs: the logging is
 * fresh there, so what {@code log.level} does to every logger (created before or after it applies)
 * and the warnings logged at start are seen as a user sees them, on standard error.
 */
class MainProcessTest {
    /** A TCP entry point: the relay, started after the configuration is read, logs it at INFO. */
    private static String config(String log) {
        return log + """
                [pilot]
                token = "x"

                [entryPoints.db]
                address = "127.0.0.1:0"

                [tcp.routers.db]
                rule = "HostSNI(`*`)"
                service = "db"
                entryPoints = ["db"]
                [[tcp.services.db.loadBalancer.servers]]
                address = "127.0.0.1:1"
                """;
    }

    /** Runs Main with {@code args} until it prints that it listens, then stops it (SIGTERM); returns its standard error. */
    private static String serveUntilListening(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        // Standard error to a file: destroying a process closes its pipes.
        Path stderr = Files.createTempFile(dir, "stderr", ".log");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.contains("listening on port"));
            if (line == null) {
                // It ended without listening: its standard error says why.
                process.waitFor(30, TimeUnit.SECONDS);
                throw new AssertionError("sluice never listened: " + Files.readString(stderr));
            }
            process.destroy();
            // (Its exit code is not asserted: "listening" is printed just before the SIGTERM handler is installed.)
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "sluice stopped");
            return Files.readString(stderr);
        } finally {
            process.destroyForcibly();
        }
    }

    private static long count(String log, String fragment) {
        return log.lines().filter(line -> line.contains(fragment)).count();
    }

    @Test
    void withoutACommandItRunsAndLogsEachWarningOnceAtWarn(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("sluice.toml"), config(""));
        String log = serveUntilListening(dir, "--config", file.toString());
        assertEquals(1, count(log, "`pilot`: not supported by Sluice, ignored"), log);
        assertTrue(log.lines().anyMatch(l -> l.contains("WARN") && l.contains("`pilot`: not supported by Sluice, ignored")), log);
        // No log.level: Sluice's own INFO lines are there, as before.
        assertTrue(log.lines().anyMatch(l -> l.contains("INFO") && l.contains("entry point db (tcp) listening")), log);
    }

    @Test
    void logLevelAppliesToTheLoggersCreatedAfterTheConfigurationIsRead(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("sluice.toml"), config("[log]\nlevel = \"warn\"\n\n"));
        String log = serveUntilListening(dir, "run", "--config", file.toString());
        assertFalse(log.contains("entry point db (tcp) listening"), log);
        assertEquals(1, count(log, "`pilot`: not supported by Sluice, ignored"), log);

        Path quiet = Files.writeString(dir.resolve("quiet.toml"), config("[log]\nlevel = \"ERROR\"\n\n"));
        String none = serveUntilListening(dir, "run", "--config", quiet.toString());
        assertFalse(none.contains("`pilot`"), "WARN is below ERROR: " + none);
    }
}
