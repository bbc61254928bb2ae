package dev.sluice.standalone;

import static dev.sluice.standalone.AuthTestSupport.basic;
import static dev.sluice.standalone.AuthTestSupport.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.SluiceConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** conf/admin.toml loads and does what its comments say: ping and the API on traefik, the API behind basicAuth on web, the explainer. */
class AdminConfExampleTest {
    private static final Path FILE = Path.of("..", "conf", "admin.toml");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void pingTheApiBehindAPasswordAndTheExplainerWorkAsAnnotated() throws Exception {
        SluiceConfig config = ConfigLoader.load(List.of(FILE));
        assertEquals(List.of(), config.warnings());
        assertEquals("127.0.0.1:9000", config.entryPoints().get("traefik").address());
        try (Backend app = new Backend("app"); Backend canary = new Backend("canary")) {
            SluiceConfig local = Configs.servers(Configs.entryPointsOnLoopback(config, Set.of("web", "traefik")),
                    url -> url.replace("127.0.0.1:9001", "127.0.0.1:" + app.port()).replace("127.0.0.1:9002", "127.0.0.1:" + app.port())
                            .replace("127.0.0.1:9003", "127.0.0.1:" + canary.port()));
            try (EmbeddedServer sluice = EmbeddedServer.start(local)) {
                String traefik = "http://127.0.0.1:" + sluice.port("traefik");
                String web = "http://127.0.0.1:" + sluice.port("web");
                assertEquals("OK", get(URI.create(traefik + "/ping")).body());
                JsonNode routers = JSON.readTree(get(URI.create(traefik + "/api/http/routers")).body());
                List<String> names = new java.util.ArrayList<>();
                routers.forEach(r -> names.add(r.path("name").asText()));
                assertEquals(List.of("admin-api@file", "api@internal", "app-v1@file", "app@file", "canary@file", "dashboard@internal",
                        "debug@internal", "ping@internal"), names);
                assertEquals(200, get(URI.create(traefik + "/dashboard/")).statusCode());
                assertTrue(get(URI.create(traefik + "/debug/vars")).body().contains("\"heapUsed\""));

                URI overview = URI.create(web + "/api/overview");
                assertEquals(401, get(overview, "Host", "admin.example.com").statusCode());
                HttpResponse<String> ok = get(overview, "Host", "admin.example.com", "Authorization", basic("admin", "sluice"));
                assertEquals(200, ok.statusCode());
                assertEquals(8, JSON.readTree(ok.body()).path("http").path("routers").path("total").asInt());
                String middleware = get(URI.create(traefik + "/api/http/middlewares/admin-auth@file")).body();
                assertTrue(middleware.contains("\"admin:REDACTED\""), middleware);

                String explain = traefik + "/api/explain?url=" + URLEncoder.encode("http://app.example.com/v1/users", StandardCharsets.UTF_8);
                JsonNode plain = JSON.readTree(get(URI.create(explain)).body()).path("entryPoints").get(0);
                assertEquals("app-v1@file", plain.path("router").asText());
                assertEquals("/users", plain.path("path").asText());
                JsonNode withHeader = JSON.readTree(get(URI.create(explain + "&header=X-Canary:on")).body()).path("entryPoints").get(0);
                assertEquals("canary@file", withHeader.path("router").asText());
                assertEquals(canary.url(), withHeader.path("upstream").path("server").asText());
            }
        }
    }
}
