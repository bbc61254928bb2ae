package dev.sluice.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar as a process: SIGTERM drains gracefully and exits 0, SIGHUP reloads. */
class LifecycleIT {
    private static final Path JAR = Path.of("target", "sluice.jar");
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    /** The jar running {@code config}; its output is drained on a thread so it never blocks. */
    private record Running(Process process, int port, StringBuffer output) {}

    private static Running run(Path config) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString(),
                "--config", config.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Pattern listening = Pattern.compile("entry point web listening on 127\\.0\\.0\\.1:(\\d+)");
        StringBuffer output = new StringBuffer();
        int port = -1;
        for (String line; port < 0 && (line = lines.readLine()) != null; ) {
            output.append(line).append('\n');
            Matcher m = listening.matcher(line);
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
            }
        }
        assertTrue(port > 0, "Sluice announced its port: " + output);
        Thread drain = new Thread(() -> {
            try {
                for (String line; (line = lines.readLine()) != null; ) {
                    output.append(line).append('\n');
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        drain.setDaemon(true);
        drain.start();
        return new Running(process, port, output);
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static boolean refuses(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return false;
        } catch (ConnectException refused) {
            return true;
        } catch (IOException other) {
            return false;
        }
    }

    @Test
    void sigtermLetsTheRequestInFlightFinishAcceptsDuringTheGraceThenRefusesAndExitsZero(@TempDir Path dir) throws Exception {
        try (Backend backend = new Backend("b")) {
            Path config = dir.resolve("sluice.toml");
            Files.writeString(config, """
                    [entryPoints.web]
                    address = "127.0.0.1:0"
                    [entryPoints.web.transport.lifeCycle]
                    requestAcceptGraceTimeout = "2s"
                    graceTimeOut = "20s"
                    [http.routers.r]
                    rule = "PathPrefix(`/`)"
                    service = "s"
                    [[http.services.s.loadBalancer.servers]]
                    url = "%s"
                    """.formatted(backend.url()));
            Running sluice = run(config);
            try {
                // Its headers and first 64 KiB arrive; the rest waits for release().
                HttpResponse<InputStream> inFlight = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sluice.port() + "/hold"))
                        .build(), HttpResponse.BodyHandlers.ofInputStream());
                assertEquals(200, inFlight.statusCode());
                CompletableFuture<Long> body = CompletableFuture.supplyAsync(() -> {
                    try (InputStream in = inFlight.body()) {
                        return in.transferTo(java.io.OutputStream.nullOutputStream());
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                long sigterm = System.nanoTime();
                sluice.process().destroy(); // SIGTERM
                assertEquals(200, get(sluice.port(), "/during-grace").statusCode(), "still accepting during requestAcceptGraceTimeout");
                assertTrue(System.nanoTime() - sigterm < TimeUnit.SECONDS.toNanos(2), "that request was within the grace period");
                await().atMost(Duration.ofSeconds(6)).until(() -> refuses(sluice.port()));
                assertTrue(System.nanoTime() - sigterm >= TimeUnit.MILLISECONDS.toNanos(1_900), "not before the accept grace ended");
                assertTrue(sluice.process().isAlive(), "still draining the request in flight");
                backend.release();
                assertTrue(body.get(10, TimeUnit.SECONDS) > 64 * 1024, "the request in flight completed");
                assertTrue(sluice.process().waitFor(15, TimeUnit.SECONDS), "stops once drained");
                assertEquals(0, sluice.process().exitValue(), sluice.output().toString());
            } finally {
                sluice.process().destroyForcibly();
            }
        }
    }

    @Test
    void sighupReloadsAtOnce(@TempDir Path dir) throws Exception {
        try (Backend backend = new Backend("b")) {
            Path config = dir.resolve("sluice.toml");
            String head = """
                    [providers]
                    providersThrottleDuration = "10m"
                    [entryPoints.web]
                    address = "127.0.0.1:0"
                    [[http.services.s.loadBalancer.servers]]
                    url = "%s"
                    """.formatted(backend.url());
            Files.writeString(config, head + "[http.routers.r]\nrule = \"Path(`/one`)\"\nservice = \"s\"\n");
            Running sluice = run(config);
            try {
                assertEquals(200, get(sluice.port(), "/one").statusCode());
                Files.writeString(config, head + "[http.routers.r]\nrule = \"Path(`/two`)\"\nservice = \"s\"\n");
                Process hup = new ProcessBuilder("kill", "-HUP", String.valueOf(sluice.process().pid())).start();
                assertTrue(hup.waitFor(5, TimeUnit.SECONDS) && hup.exitValue() == 0);
                // "At once" as against the 10 minutes of the throttle: the bound only has to tell those apart
                // (3 s was too short for a process reloading on a machine at a load of 30).
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertEquals(200, get(sluice.port(), "/two").statusCode(), () -> sluice.output() + threads(sluice.process())));
                assertEquals(404, get(sluice.port(), "/one").statusCode());
                assertTrue(sluice.output().toString().contains("configuration reloaded"), sluice.output().toString());
            } finally {
                sluice.process().destroy();
                assertTrue(sluice.process().waitFor(20, TimeUnit.SECONDS));
            }
        }
    }

    /** The process's threads (jcmd Thread.print), to see where a reload that never came is stuck. */
    private static String threads(Process process) {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(process.pid()), "Thread.print").redirectErrorStream(true).start();
            String dump = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            jcmd.waitFor(10, TimeUnit.SECONDS);
            return "\n" + dump;
        } catch (Exception e) {
            return "\n(no thread dump: " + e + ")";
        }
    }
}
