package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.config.middleware.MiddlewareTypes;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** conf/middlewares.toml runs as its comments say, and every middleware type is shown in it or its group files. */
class MiddlewaresConfTest {
    private static final Path FILE = Path.of("..", "conf", "middlewares.toml");
    /** Deprecated aliases, documented in a comment next to their current name. */
    private static final Set<String> ALIASES = Set.of("ipWhiteList");

    @Test
    void everyMiddlewareTypeHasAnExample() throws IOException {
        List<String> texts = new ArrayList<>();
        texts.add(Files.readString(FILE));
        try (Stream<Path> groups = Files.list(Path.of("..", "conf", "middlewares.d"))) {
            for (Path group : groups.filter(p -> p.toString().endsWith(".toml")).toList()) {
                texts.add(Files.readString(group));
            }
        }
        List<String> missing = new ArrayList<>();
        for (String type : MiddlewareTypes.names()) {
            Pattern table = Pattern.compile("\\[http\\.middlewares\\.[^.\\]\\s]+\\." + type + "\\]");
            if (!ALIASES.contains(type) && texts.stream().noneMatch(t -> table.matcher(t).find())) {
                missing.add(type);
            }
        }
        assertEquals(List.of(), missing, "types without an example table in conf/middlewares*.toml");
    }

    @Test
    void prefixesChainAndEntryPointMiddlewaresWork() throws Exception {
        try (Backend app = new Backend("app")) {
            SluiceConfig config = Configs.servers(Configs.entryPointsOnLoopback(ConfigLoader.load(List.of(FILE)), Set.of("web")),
                    url -> url.replace("127.0.0.1:9001", "127.0.0.1:" + app.port()));
            try (Sluice sluice = Sluice.start(config)) {
                String web = "http://127.0.0.1:" + sluice.port("web");
                HttpClient client = HttpClient.newHttpClient();
                HttpResponse<String> api = client.send(HttpRequest.newBuilder(java.net.URI.create(web + "/api/v1/users")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, api.statusCode());
                assertEquals("DENY", api.headers().firstValue("X-Frame-Options").orElse(null), "the chain's headers");
                assertNotNull(api.headers().firstValue("X-Request-Id").orElse(null), "the entry point's request id");
                Backend.Seen seen = app.take();
                assertEquals("/users", seen.pathQuery());
                assertEquals("/api/v1", seen.headers().get("X-Forwarded-Prefix"));
                assertNotNull(seen.headers().get("X-Request-Id"));

                client.send(HttpRequest.newBuilder(java.net.URI.create(web + "/legacy/x")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals("/old/legacy/x", app.take().pathQuery());
            }
        }
    }
}
