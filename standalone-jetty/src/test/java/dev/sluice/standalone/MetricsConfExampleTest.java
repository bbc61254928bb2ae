package dev.sluice.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.SluiceConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** conf/metrics.toml loads and serves what its comments say: Traefik's names, the header label, server_up. */
class MetricsConfExampleTest {
    @Test
    void traefiksNamesWithTheUserAgentLabel() throws Exception {
        SluiceConfig config = ConfigLoader.load(List.of(Path.of("..", "conf", "metrics.toml")));
        assertEquals(List.of(), config.warnings());
        try (Backend app = new Backend("app")) {
            // The implicit traefik entry point (127.0.0.1:8080 as configured) moves to a port of the OS's choosing too.
            SluiceConfig local = Configs.servers(Configs.entryPointsOnLoopback(config, Set.of("web", "traefik")),
                    url -> url.replace("127.0.0.1:9001", "127.0.0.1:" + app.port()));
            try (EmbeddedServer sluice = EmbeddedServer.start(local);
                    Scrapes scrapes = Scrapes.of(URI.create("http://127.0.0.1:" + sluice.port("traefik") + "/metrics"))) {
                HttpClient client = HttpClient.newHttpClient();
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sluice.port("web")
                            + "/")).header("User-Agent", "grafana-check").build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals("app", answer.body());
                }
                MetricsText[] m = new MetricsText[1];
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    m[0] = scrapes.scrape();
                    return m[0].sum("traefik_entrypoint_requests_total", "useragent", "grafana-check") == 3;
                });
                assertEquals(3, m[0].value("traefik_router_requests_total", "router", "app", "service", "app", "code", "200"));
                assertEquals(1, m[0].value("traefik_service_server_up", "service", "app", "url", app.url()));
                assertTrue(m[0].hasName("jvm_memory_used_bytes"));
            }
        }
    }
}
