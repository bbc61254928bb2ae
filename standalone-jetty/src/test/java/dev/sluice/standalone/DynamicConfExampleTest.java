package dev.sluice.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conf/dynamic/ behaves as its comments say: the directory is watched and a new file applies live. */
class DynamicConfExampleTest {
    private static final Path CONF = Path.of("..", "conf");

    @Test
    void theWatchedDirectoryServesAndANewFileAppliesLive(@TempDir Path dir) throws Exception {
        // A copy, with the same layout (the static root is relative), listening on a port the OS picks.
        copy(CONF.resolve("dynamic"), dir.resolve("dynamic"));
        copy(CONF.resolve("quickstart"), dir.resolve("quickstart"));
        Path main = dir.resolve("dynamic/sluice.toml");
        Files.writeString(main, Files.readString(main).replace("address = \":8080\"", "address = \"127.0.0.1:0\"")
                .replace("providersThrottleDuration = \"2s\"", "providersThrottleDuration = \"100ms\""));
        HttpClient client = HttpClient.newHttpClient();
        try (Watched watched = Watched.start(main)) {
            EmbeddedServer sluice = watched.server;
            URI root = URI.create("http://127.0.0.1:" + sluice.port("web") + "/");
            HttpResponse<String> page = client.send(HttpRequest.newBuilder(root).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertEquals("sluice", page.headers().firstValue("X-Served-By").orElse(null), "the middleware of the YAML file");

            Files.writeString(dir.resolve("dynamic/dynamic.d/b.toml"), """
                    [http.routers.b]
                    rule = "Header(`X-Site`, `b`)"
                    service = "b"
                    [http.services.b.static]
                    root = "../../quickstart/site-b"
                    """);
            await().atMost(Duration.ofSeconds(3)).until(() -> client.send(HttpRequest.newBuilder(root).header("X-Site", "b").build(),
                    HttpResponse.BodyHandlers.ofString()).body().contains("site B"));
            assertEquals(0, watched.watcher.rejected());
        }
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
