package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code bin/sluice}, as the README tells users to start Sluice: {@code bin/sluice train} writes the
 * JDK's start-up cache (an AOT cache on JDK 25, an AppCDS archive on JDK 17), the next start runs
 * with it and serves, and a cache the JVM cannot use is ignored. On the JDK running the tests, and
 * on a JDK 25 under /usr/lib/jvm when there is one.
 */
class LauncherIT {
    private static final Path SCRIPT = Path.of("..", "bin", "sluice").toAbsolutePath().normalize();
    private static final Path JAR = Path.of("target", "sluice.jar").toAbsolutePath();
    private static final Pattern LISTENING = Pattern.compile("entry point web listening on 127\\.0\\.0\\.1:(\\d+)");

    static Stream<Arguments> javas() throws Exception {
        List<Arguments> javas = new ArrayList<>();
        Path running = Path.of(System.getProperty("java.home"), "bin", "java");
        javas.add(Arguments.of(running, Runtime.version().feature()));
        Path jvms = Path.of("/usr/lib/jvm");
        if (Runtime.version().feature() != 25 && Files.isDirectory(jvms)) {
            try (Stream<Path> homes = Files.list(jvms)) {
                homes.filter(home -> home.getFileName().toString().matches(".*-25-.*"))
                        .map(home -> home.resolve("bin/java")).filter(Files::isExecutable).sorted().findFirst()
                        .ifPresent(java25 -> javas.add(Arguments.of(java25, 25)));
            }
        }
        return javas.stream();
    }

    private static Process launcher(Path java, Path cacheDir, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", SCRIPT.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SLUICE_JAVA", java.toString());
        builder.environment().put("SLUICE_JAR", JAR.toString());
        builder.environment().put("SLUICE_CACHE_DIR", cacheDir.toString());
        builder.environment().remove("SLUICE_JAVA_OPTS");
        builder.environment().remove("SLUICE_CACHE");
        return builder.start();
    }

    @ParameterizedTest(name = "JDK {1}")
    @MethodSource("javas")
    void trainsACacheThatTheNextStartUses(Path java, int feature, @TempDir Path dir) throws Exception {
        Path cacheDir = dir.resolve("cache");
        Process train = launcher(java, cacheDir, List.of("train", "--seconds", "2"));
        assertTrue(train.waitFor(240, TimeUnit.SECONDS), "training ended");
        String trained = new String(train.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, train.exitValue(), trained);
        assertTrue(trained.contains("sluice train: ") && trained.contains("start-up cache written"), trained);
        List<Path> caches;
        try (Stream<Path> files = Files.list(cacheDir)) {
            caches = files.toList();
        }
        String kind = feature >= 25 ? ".aot" : ".jsa";
        assertEquals(1, caches.size(), caches.toString());
        assertTrue(caches.get(0).getFileName().toString().endsWith(kind), caches.toString());
        Path cache = caches.get(0);

        Files.createDirectories(dir.resolve("site"));
        Files.writeString(dir.resolve("site/index.html"), "hello from bin/sluice");
        Path config = dir.resolve("sluice.toml");
        Files.writeString(config, """
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.site]
                rule = "PathPrefix(`/`)"
                service = "site"
                [http.services.site.static]
                root = "%s"
                """.formatted(dir.resolve("site").toString().replace("\\", "/")));

        String flag = (feature >= 25 ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + cache;
        serves(java, cacheDir, config, flag);

        // A cache the JVM cannot read (a truncated or foreign file): the start goes on without it.
        Files.write(cache, new byte[4096]);
        serves(java, cacheDir, config, flag);
    }

    /** Starts bin/sluice, checks that the JVM got {@code flag} and that the site answers. */
    private static void serves(Path java, Path cacheDir, Path config, String flag) throws Exception {
        Process sluice = launcher(java, cacheDir, List.of("--config", config.toString()));
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(sluice.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            int port = -1;
            for (String line; port < 0 && (line = lines.readLine()) != null; ) {
                seen.append(line).append('\n');
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                }
            }
            assertTrue(port > 0, "Sluice announced its port:\n" + seen);
            // bin/sluice execs the JVM: the process is java itself, with the cache on its command line.
            String commandLine = sluice.info().commandLine().orElse("");
            assertTrue(commandLine.contains(flag), commandLine);
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("hello from bin/sluice", response.body());
        } finally {
            sluice.destroy();
            assertTrue(sluice.waitFor(30, TimeUnit.SECONDS), "stops on SIGTERM");
        }
    }
}
