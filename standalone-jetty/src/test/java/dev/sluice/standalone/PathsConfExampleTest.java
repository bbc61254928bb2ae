package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.SluiceConfig;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** conf/middlewares.d/paths.toml loads and behaves as its comments say. */
class PathsConfExampleTest {
    @Test
    void pathsExampleBehavesAsCommented() throws Exception {
        SluiceConfig config = ConfigLoader.load(List.of(Path.of("../conf/middlewares.d/paths.toml")));
        try (Backend app = new Backend("app")) {
            SluiceConfig local = Configs.servers(Configs.entryPointsOnLoopback(config, Set.of("web")),
                    url -> url.replace("127.0.0.1:9001", "127.0.0.1:" + app.port()));
            try (Sluice sluice = Sluice.start(local)) {
                String web = "http://127.0.0.1:" + sluice.port("web");

                assertEquals(200, PathsClient.get(URI.create(web + "/api/v2/users?page=3")).statusCode());
                Backend.Seen seen = app.take();
                assertEquals("/users?page=3", seen.pathQuery());
                assertEquals("/api/v2", seen.headers().get("X-Forwarded-Prefix"));
                assertEquals(400, PathsClient.get(URI.create(web + "/api/v2/a%2Fb")).statusCode(), "encodedCharacters first");

                PathsClient.get(URI.create(web + "/legacy/orders/7"));
                seen = app.take();
                assertEquals("/v2/orders/7", seen.pathQuery());
                assertEquals("/legacy/orders/7", seen.headers().get("X-Replaced-Path"));

                PathsClient.get(URI.create(web + "/status?full"));
                assertEquals("/health/summary?full", app.take().pathQuery());

                HttpResponse<String> https = PathsClient.get(URI.create(web + "/login?next=%2F"), "Host", "secure.example.com");
                assertEquals(301, https.statusCode());
                assertEquals("https://secure.example.com/login?next=%2F", https.headers().firstValue("Location").orElseThrow());

                HttpResponse<String> www = PathsClient.send("POST", URI.create(web + "/cart"), "Host", "example.com:8080");
                assertEquals(307, www.statusCode());
                assertEquals("https://www.example.com/cart", www.headers().firstValue("Location").orElseThrow());

                assertEquals("pong", PathsClient.get(URI.create(web + "/ping")).body());
                HttpResponse<String> maintenance = PathsClient.get(URI.create(web + "/maintenance"));
                assertEquals(503, maintenance.statusCode());
                assertEquals("600", maintenance.headers().firstValue("Retry-After").orElseThrow());

                assertEquals(403, PathsClient.get(URI.create(web + "/images/a.png"), "User-Agent", "Googlebot/2.1").statusCode());
                HttpResponse<String> hotlink = PathsClient.get(URI.create(web + "/images/a.png"), "Referer", "https://cdn.hotlinker.example/x");
                assertEquals(403, hotlink.statusCode());
                assertEquals("hotlinking refused", hotlink.body());
                assertEquals(0, app.received(), "nothing answered by a middleware reached the app");
                assertEquals("app", PathsClient.get(URI.create(web + "/images/a.png"), "Referer", "https://mysite.example/").body());
            }
        }
    }
}
