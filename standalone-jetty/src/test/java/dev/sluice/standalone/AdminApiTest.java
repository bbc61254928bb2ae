package dev.sluice.standalone;

import static dev.sluice.standalone.AuthTestSupport.get;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Traefik's API endpoints over real sockets against one known configuration: the JSON of each
 * endpoint, names qualified as Traefik shows them, pagination and filters as Traefik's, servers'
 * live health in {@code serverStatus}, and secrets redacted everywhere.
 */
class AdminApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HASH = "$2y$10$q8aD9MgQnmrBdgujWw/1Z./SSACjuwkDcPMryMWgxgAA9rTyUzLvW";
    private static final String JWT_SECRET = "a-very-secret-hmac-key-of-32-bytes!!";
    private static Backend up;
    private static Backend down;
    private static Sluice sluice;
    /** A TCP server whose connections are refused, held until the end (never a closed port that another test may take). */
    private static dev.sluice.proxy.testing.RefusingPort refusing;

    @BeforeAll
    static void start() throws Exception {
        up = new Backend("up");
        down = new Backend("down");
        down.health(503);
        refusing = new dev.sluice.proxy.testing.RefusingPort();
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [entryPoints.traefik]
                address = "127.0.0.1:0"
                [entryPoints.db]
                address = "127.0.0.1:0/tcp"
                [entryPoints.dns]
                address = "127.0.0.1:0/udp"
                [api]
                insecure = true
                dashboard = false
                debug = true
                [ping]

                [http.routers.app]
                rule = "Host(`app.test`)"
                service = "app"
                middlewares = ["auth", "strip"]
                [http.routers.api-v1]
                rule = "Host(`app.test`) && PathPrefix(`/v1`)"
                service = "app"
                priority = 100
                [http.routers.tokens]
                rule = "PathPrefix(`/tokens`)"
                service = "app"
                middlewares = ["jwt"]
                [http.middlewares.auth.basicAuth]
                users = ['admin:%s']
                [http.middlewares.strip.stripPrefix]
                prefixes = ["/v1"]
                [http.middlewares.jwt.jwt]
                secret = "%s"
                [http.services.app.loadBalancer]
                [[http.services.app.loadBalancer.servers]]
                url = "%s"
                [[http.services.app.loadBalancer.servers]]
                url = "%s"
                [http.services.app.loadBalancer.healthCheck]
                path = "/health"
                interval = "1s"
                timeout = "2s"

                [tcp.routers.db]
                rule = "HostSNI(`*`)"
                service = "db"
                entryPoints = ["db"]
                [[tcp.services.db.loadBalancer.servers]]
                address = "127.0.0.1:%d"
                [[tcp.services.db.loadBalancer.servers]]
                address = "%s"
                [tcp.services.db.loadBalancer.healthCheck]
                interval = "1s"
                timeout = "500ms"
                [udp.routers.dns]
                entryPoints = ["dns"]
                service = "dns"
                [[udp.services.dns.loadBalancer.servers]]
                address = "127.0.0.1:53"
                """.formatted(HASH, JWT_SECRET, up.url(), down.url(), up.port(), refusing.address()));
    }

    @AfterAll
    static void stop() throws Exception {
        sluice.close();
        up.close();
        down.close();
        refusing.close();
    }

    private static HttpResponse<String> api(String path) throws Exception {
        return get(sluice.uri("traefik", path));
    }

    private static JsonNode json(String path) throws Exception {
        HttpResponse<String> response = api(path);
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        return JSON.readTree(response.body());
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.path("name").asText()));
        return names;
    }

    @Test
    void routersAreListedByQualifiedNameWithTraefiksFields() throws Exception {
        HttpResponse<String> response = api("/api/http/routers");
        assertEquals("1", response.headers().firstValue("X-Next-Page").orElse(""));
        assertEquals(List.of("api-v1@file", "api@internal", "app@file", "debug@internal", "ping@internal", "tokens@file"),
                names(JSON.readTree(response.body())));
        assertEquals(JSON.readTree("""
                {"rule": "Host(`app.test`) && PathPrefix(`/v1`)", "service": "app", "entryPoints": ["web"], "priority": 100,
                 "status": "enabled", "using": ["web"], "name": "api-v1@file", "provider": "file", "priorityStr": "100"}
                """), json("/api/http/routers/api-v1@file"));
        assertEquals(JSON.readTree("""
                {"rule": "PathPrefix(`/api`)", "service": "api@internal", "entryPoints": ["traefik"], "priority": 2147483646,
                 "status": "enabled", "using": ["traefik"], "name": "api@internal", "provider": "internal", "priorityStr": "2147483646"}
                """), json("/api/http/routers/api@internal"));
        assertEquals("app@file", json("/api/http/routers/app").path("name").asText(), "a plain name finds the @file router");
        HttpResponse<String> missing = api("/api/http/routers/nope@file");
        assertEquals(404, missing.statusCode());
        assertEquals("{\"message\":\"router not found: nope@file\"}\n", missing.body());
    }

    @Test
    void pagesAreTraefiks() throws Exception {
        HttpResponse<String> first = api("/api/http/routers?per_page=4");
        assertEquals(List.of("api-v1@file", "api@internal", "app@file", "debug@internal"), names(JSON.readTree(first.body())));
        assertEquals("2", first.headers().firstValue("X-Next-Page").orElse(""));
        HttpResponse<String> last = api("/api/http/routers?per_page=4&page=2");
        assertEquals(List.of("ping@internal", "tokens@file"), names(JSON.readTree(last.body())));
        assertEquals("1", last.headers().firstValue("X-Next-Page").orElse(""));
        HttpResponse<String> beyond = api("/api/http/routers?per_page=4&page=3");
        assertEquals(400, beyond.statusCode());
        assertEquals("{\"message\":\"invalid request: page: 3, per_page: 4\"}\n", beyond.body());
        assertEquals("{\"message\":\"invalid request: per_page: 0\"}\n", api("/api/http/routers?per_page=x").body());
        assertEquals("{\"message\":\"invalid request: page: -1\"}\n", api("/api/http/routers?page=-1").body());
    }

    @Test
    void filtersAndSortingAreTraefiks() throws Exception {
        assertEquals(List.of("api-v1@file"), names(json("/api/http/routers?search=V1")));
        assertEquals(List.of("api-v1@file", "app@file", "tokens@file"), names(json("/api/http/routers?serviceName=app@file")));
        assertEquals(List.of("api@internal", "debug@internal"), names(json("/api/http/routers?serviceName=api@internal")));
        assertEquals(List.of("app@file"), names(json("/api/http/routers?middlewareName=auth")));
        assertEquals(List.of(), names(json("/api/http/routers?status=disabled")));
        assertEquals(List.of("tokens@file", "ping@internal", "debug@internal", "app@file", "api@internal", "api-v1@file"),
                names(json("/api/http/routers?direction=desc")));
        assertEquals("ping@internal", json("/api/http/routers?sortBy=priority&direction=desc").get(0).path("name").asText());
        assertEquals(List.of("jwt@file"), names(json("/api/http/middlewares?search=jw")));
    }

    @Test
    void servicesShowEachServersLiveHealthAndWhoUsesThem() throws Exception {
        await("the unhealthy server DOWN in serverStatus").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> json("/api/http/services/app@file").path("serverStatus").path(down.url()).asText().equals("DOWN"));
        JsonNode app = json("/api/http/services/app@file");
        assertEquals("UP", app.path("serverStatus").path(up.url()).asText());
        assertEquals("loadbalancer", app.path("type").asText());
        assertEquals("file", app.path("provider").asText());
        assertEquals("enabled", app.path("status").asText());
        assertEquals(List.of("api-v1@file", "app@file", "tokens@file"), JSON.convertValue(app.path("usedBy"), List.class));
        assertEquals(up.url(), app.path("loadBalancer").path("servers").get(0).path("url").asText());
        assertEquals("wrr", app.path("loadBalancer").path("strategy").asText());
        assertEquals("ip", app.path("loadBalancer").path("hashKey").asText(), "written as the file writes it");
        assertTrue(app.path("loadBalancer").path("passHostHeader").asBoolean());
        assertEquals("/health", app.path("loadBalancer").path("healthCheck").path("path").asText());
        // The effective value: an interval not above the timeout becomes timeout + 1s, as Traefik documents.
        assertEquals("3s", app.path("loadBalancer").path("healthCheck").path("interval").asText());
        assertEquals(List.of("api@internal", "app@file", "ping@internal"), names(json("/api/http/services")));
        assertEquals(JSON.readTree("""
                {"status": "enabled", "usedBy": ["ping@internal"], "name": "ping@internal", "provider": "internal"}
                """), json("/api/http/services/ping@internal"));
    }

    @Test
    void middlewaresHaveTraefiksShapeWithSecretsRedacted() throws Exception {
        assertEquals(JSON.readTree("""
                {"basicAuth": {"users": ["admin:REDACTED"], "realm": "traefik", "removeHeader": false}, "status": "enabled", "usedBy": ["app@file"],
                 "name": "auth@file", "provider": "file", "type": "basicauth"}
                """), json("/api/http/middlewares/auth@file"));
        assertEquals("REDACTED", json("/api/http/middlewares/jwt@file").path("jwt").path("secret").asText());
        assertEquals(List.of("/v1"), JSON.convertValue(json("/api/http/middlewares/strip@file").path("stripPrefix").path("prefixes"), List.class));
        String raw = api("/api/rawdata").body();
        assertFalse(raw.contains(HASH) || raw.contains("$2y$"), raw);
        assertFalse(raw.contains(JWT_SECRET), raw);
    }

    @Test
    void rawdataHoldsEveryMapByQualifiedName() throws Exception {
        JsonNode raw = json("/api/rawdata");
        assertEquals(List.of("routers", "middlewares", "services", "tcpRouters", "tcpServices", "udpRouters", "udpServices"),
                iterable(raw.fieldNames()));
        assertEquals(List.of("api-v1@file", "api@internal", "app@file", "debug@internal", "ping@internal", "tokens@file"),
                iterable(raw.path("routers").fieldNames()));
        assertFalse(raw.path("routers").path("app@file").has("name"), "rawdata holds RouterInfo, without the list's name field");
        assertTrue(raw.path("services").path("app@file").has("serverStatus"));
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> out = new ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }

    @Test
    void entryPointsOverviewVersionTcpUdpAndDebug() throws Exception {
        assertEquals(List.of("db", "dns", "traefik", "web"), names(json("/api/entrypoints")));
        JsonNode web = json("/api/entrypoints/web");
        assertEquals("127.0.0.1:0", web.path("address").asText());
        assertEquals("10s", web.path("transport").path("lifeCycle").path("graceTimeOut").asText());
        assertEquals(404, api("/api/entrypoints/nope").statusCode());
        assertEquals(JSON.readTree("""
                {"http": {"routers": {"total": 6, "warnings": 0, "errors": 0}, "services": {"total": 3, "warnings": 0, "errors": 0},
                          "middlewares": {"total": 3, "warnings": 0, "errors": 0}},
                 "tcp": {"routers": {"total": 1, "warnings": 0, "errors": 0}, "services": {"total": 1, "warnings": 0, "errors": 0},
                         "middlewares": {"total": 0, "warnings": 0, "errors": 0}},
                 "udp": {"routers": {"total": 1, "warnings": 0, "errors": 0}, "services": {"total": 1, "warnings": 0, "errors": 0}},
                 "features": {"tracing": "", "metrics": "", "accessLog": false}}
                """), json("/api/overview"));
        JsonNode db = json("/api/tcp/routers/db@file");
        assertEquals("HostSNI(`*`)", db.path("rule").asText());
        assertEquals("db", db.path("service").asText());
        String reachable = "127.0.0.1:" + up.port();
        await("the refusing TCP server DOWN in serverStatus").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> json("/api/tcp/services/db@file").path("serverStatus").path(refusing.address()).asText().equals("DOWN"));
        JsonNode tcpService = json("/api/tcp/services/db@file");
        assertEquals(reachable, tcpService.path("loadBalancer").path("servers").get(0).path("address").asText());
        assertEquals("UP", tcpService.path("serverStatus").path(reachable).asText(), "the relay's live health");
        assertEquals(List.of("dns@file"), names(json("/api/udp/routers")));
        assertEquals("loadbalancer", json("/api/udp/services/dns@file").path("type").asText());
        assertEquals(404, api("/api/udp/middlewares").statusCode(), "Traefik has no UDP middlewares");
        assertTrue(json("/api/version").path("Version").isTextual());
        assertTrue(json("/debug/vars").path("memory").path("heapUsed").asLong() > 0);
        assertEquals(405, AuthTestSupport.send("POST", sluice.uri("traefik", "/api/rawdata"), "").statusCode());
    }
}
