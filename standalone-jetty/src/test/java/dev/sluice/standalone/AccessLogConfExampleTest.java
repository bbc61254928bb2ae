package dev.sluice.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.proxy.config.AccessLogConfig;
import dev.sluice.proxy.config.AccessLogFormat;
import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.SluiceConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conf/access-log.toml loads as its comments say, and logs what its filters keep, with the headers it names. */
class AccessLogConfExampleTest {
    private static final Path FILE = Path.of("..", "conf", "access-log.toml");

    @Test
    void theExampleLogsErrorsAsJsonWithTheHeadersItNames(@TempDir Path dir) throws Exception {
        AccessLogConfig example = ConfigLoader.load(List.of(FILE)).accessLog();
        assertEquals(FILE.toAbsolutePath().getParent().resolve("logs/access.log").normalize().toString(), example.filePath());
        assertEquals(AccessLogFormat.Kind.JSON, example.format().kind());
        assertEquals(10_000, example.queueCapacity());
        assertEquals(List.of("400-599"), example.filters().statusCodes());

        Path log = dir.resolve("access.log");
        String text = Files.readString(FILE).replace("filePath = \"logs/access.log\"", "filePath = \"" + log + "\"");
        try (Backend backend = new Backend("9001")) {
            SluiceConfig config = Configs.servers(Configs.entryPointsOnLoopback(ConfigLoader.parse(text, "access-log.toml"),
                    Set.of("web", "db")), url -> url.replace("127.0.0.1:9001", "127.0.0.1:" + backend.port()));
            try (EmbeddedServer sluice = EmbeddedServer.start(config)) {
                HttpClient client = HttpClient.newHttpClient();
                URI base = URI.create("http://127.0.0.1:" + sluice.port("web"));
                assertEquals(200, client.send(HttpRequest.newBuilder(base.resolve("/fine")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode());
                assertEquals(404, client.send(HttpRequest.newBuilder(base.resolve("/respond?status=404")).header("User-Agent", "probe")
                        .header("Authorization", "Bearer t0k3n").build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            }
            // The 200 is kept only if it took longer than minDuration (a first connection on a loaded machine may).
            JsonNode line = null;
            for (String logged : Files.readAllLines(log)) {
                JsonNode json = new ObjectMapper().readTree(logged);
                if (json.get("DownstreamStatus").asInt() == 404) {
                    line = json;
                } else {
                    assertTrue(json.get("Duration").asLong() > 500_000_000L, logged);
                }
            }
            assertNotNull(line, "the 404 is logged");
            assertEquals(404, line.get("DownstreamStatus").asInt());
            assertEquals("probe", line.get("request_User-Agent").asText());
            assertEquals("REDACTED", line.get("request_Authorization").asText());
            assertFalse(line.has("ClientUsername"));
        }
    }
}
