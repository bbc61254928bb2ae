package dev.sluice.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How access log lines reach their file when it does not keep up, and when logrotate moves it: a
 * writer blocked on a pipe nobody reads never slows a request (lines are dropped and counted), and
 * {@code SIGUSR1} sent to a running Sluice reopens the file by its name.
 */
class AccessLogDeliveryTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aBlockedWriterDropsAndCountsLinesAndNeverStallsARequest(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("access.pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");
        // The reader end opens with Sluice's writer end (each waits for the other), then reads nothing until told.
        CompletableFuture<InputStream> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return new FileInputStream(fifo.toFile());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        int requests = 100;
        String big = "x".repeat(4000); // a 4 kB header, kept: 64 kB of pipe and 64 kB of buffer hold some thirty lines
        try (Backend backend = new Backend("one");
                Sluice sluice = Sluice.start("""
                        [entryPoints.web]
                        address = "127.0.0.1:0"
                        [http.routers.app]
                        rule = "PathPrefix(`/`)"
                        service = "app"
                        [[http.services.app.loadBalancer.servers]]
                        url = "%s"
                        [accessLog]
                        filePath = "%s"
                        format = "{path} {>X-Big}"
                        bufferingSize = 5
                        """.formatted(backend.url(), fifo))) {
            InputStream in = reader.get(10, TimeUnit.SECONDS);
            long start = System.nanoTime();
            for (int i = 0; i < requests; i++) {
                // Connection: close: the graceful stop below has no idle connection to wait for.
                HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(sluice.uri("web", "/r" + i)).header("X-Big", big)
                        .header("Connection", "close").build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode());
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            long dropped = sluice.server.runtime().accessLogs().dropped();
            assertTrue(dropped >= requests - 45, "at most ~35 lines fit before the writer blocks: dropped " + dropped);
            assertTrue(seconds < 30, "the requests never waited for the log: " + seconds + "s");
            // Now the pipe is read: what was kept arrives, and the drop count accounts for the rest.
            CompletableFuture<Long> lines = CompletableFuture.supplyAsync(() -> {
                try (BufferedReader lineReader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    return lineReader.lines().count();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            // Graceful, as on SIGTERM: every exchange ends (and is kept or dropped), then the writer writes what it holds.
            sluice.server.close();
            assertEquals(requests, lines.get(20, TimeUnit.SECONDS) + sluice.server.runtime().accessLogs().dropped());
        }
    }

    @Test
    void sigusr1ReopensTheFileLogrotateMoved(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("access.log");
        Path rotated = dir.resolve("access.log.1");
        try (Backend backend = new Backend("one")) {
            Path config = Files.writeString(dir.resolve("sluice.toml"), """
                    [entryPoints.web]
                    address = "127.0.0.1:0"
                    [http.routers.app]
                    rule = "PathPrefix(`/`)"
                    service = "app"
                    [[http.services.app.loadBalancer.servers]]
                    url = "%s"
                    [accessLog]
                    filePath = "access.log"
                    format = "{path}"
                    """.formatted(backend.url()));
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--config", config.toString());
            Process process = new ProcessBuilder(command).redirectError(dir.resolve("stderr.log").toFile()).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                do {
                    line = out.readLine();
                } while (line != null && !line.contains("entry point web listening on"));
                assertTrue(line != null, () -> "sluice never listened: " + read(dir.resolve("stderr.log")));
                URI base = URI.create("http://" + line.substring(line.lastIndexOf(' ') + 1));
                int sent = 0;
                get(base, "/first");
                sent++;
                await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(log) && Files.readAllLines(log).size() == 1);
                Files.move(log, rotated);
                get(base, "/second");
                sent++;
                await().atMost(Duration.ofSeconds(10)).until(() -> Files.readAllLines(rotated).size() == 2);
                Process kill = new ProcessBuilder("kill", "-USR1", Long.toString(process.pid())).inheritIO().start();
                assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0);
                // The signal is handled on a thread of its own: requests until a line lands in the new file.
                List<String> after = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (!Files.exists(log) || Files.readAllLines(log).isEmpty()) {
                    assertTrue(System.nanoTime() < deadline, "no new access.log after SIGUSR1: " + read(dir.resolve("stderr.log")));
                    get(base, "/after" + sent);
                    after.add("/after" + sent);
                    sent++;
                    TimeUnit.MILLISECONDS.sleep(50); // pacing the probes, not ordering anything
                }
                process.destroy(); // SIGTERM: stops gracefully, writing what is queued
                assertTrue(process.waitFor(30, TimeUnit.SECONDS));
                List<String> old = Files.readAllLines(rotated);
                List<String> fresh = Files.readAllLines(log);
                assertEquals(List.of("/first", "/second"), old.subList(0, 2));
                assertEquals(sent, old.size() + fresh.size(), "no line lost: " + old + " " + fresh);
                assertEquals(after.get(after.size() - 1), fresh.get(fresh.size() - 1));
            } finally {
                process.destroyForcibly();
            }
        }
    }

    private static void get(URI base, String path) throws Exception {
        assertEquals(200, CLIENT.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
