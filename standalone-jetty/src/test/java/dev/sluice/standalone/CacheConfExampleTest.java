package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.SluiceConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** conf/middlewares.d/cache.toml loads and behaves as its comments say. */
class CacheConfExampleTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void theExampleCachesAndServesErrorPages() throws Exception {
        SluiceConfig config = ConfigLoader.load(List.of(Path.of("../conf/middlewares.d/cache.toml")));
        try (Backend app = new Backend("app"); Backend pages = new Backend("pages")) {
            SluiceConfig local = Configs.servers(Configs.entryPointsOnLoopback(config, Set.of("web")), url -> url
                    .replace("127.0.0.1:9001", "127.0.0.1:" + app.port())
                    .replace("127.0.0.1:9002", "127.0.0.1:" + pages.port()));
            try (Sluice sluice = Sluice.start(local)) {
                String web = "http://127.0.0.1:" + sluice.port("web");
                URI fresh = URI.create(web + "/respond?body=cached&header=Cache-Control:max-age=60");
                HttpResponse<String> miss = client.send(HttpRequest.newBuilder(fresh).build(), HttpResponse.BodyHandlers.ofString());
                HttpResponse<String> hit = client.send(HttpRequest.newBuilder(fresh).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals("MISS", miss.headers().firstValue("X-Cache-Status").orElse(null));
                assertEquals("HIT", hit.headers().firstValue("X-Cache-Status").orElse(null));
                assertEquals("cached", hit.body());
                assertEquals(1, app.received());

                HttpResponse<String> error = client.send(HttpRequest.newBuilder(URI.create(web + "/respond?status=503&body=stack+trace")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(503, error.statusCode());
                assertEquals("pages", error.body(), "the page server's answer replaces the app's");
                assertEquals(2, app.received());
                assertEquals("/503.html", pages.take().pathQuery());

                HttpResponse<String> purge = client.send(HttpRequest.newBuilder(fresh).method("PURGE", HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(204, purge.statusCode(), "127.0.0.1 is in purgeIpList");
            }
        }
    }
}
