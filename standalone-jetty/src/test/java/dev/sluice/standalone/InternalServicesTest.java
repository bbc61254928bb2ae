package dev.sluice.standalone;

import static dev.sluice.standalone.AuthTestSupport.basic;
import static dev.sluice.standalone.AuthTestSupport.get;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The internal services over real sockets: {@code ping@internal} on the {@code traefik} entry point
 * (and its terminating status once a graceful shutdown began), the API routed by Sluice with
 * {@code api.insecure} or by a user's router behind {@code basicAuth}, and never on a public entry
 * point unless a router says so.
 */
class InternalServicesTest {
    /** The traefik entry point declared on a port of the OS's choice (the implicit one would take 127.0.0.1:8080). */
    private static final String TRAEFIK = """
            [entryPoints.traefik]
            address = "127.0.0.1:0"
            """;

    private static String web(Backend backend) {
        return """
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.app]
                rule = "PathPrefix(`/`)"
                service = "app"
                [[http.services.app.loadBalancer.servers]]
                url = "%s"
                """.formatted(backend.url());
    }

    @Test
    void pingAnswersOkOnTheTraefikEntryPointOnly() throws Exception {
        try (Backend backend = new Backend("app"); Sluice sluice = Sluice.start(web(backend) + TRAEFIK + "[ping]\n")) {
            HttpResponse<String> ping = get(sluice.uri("traefik", "/ping"));
            assertEquals(200, ping.statusCode());
            assertEquals("OK", ping.body());
            assertEquals(200, get(sluice.uri("traefik", "/ping/anything")).statusCode(), "PathPrefix, as Traefik's");
            // The public entry point's router takes /ping there: the app answers, not Sluice.
            assertEquals(200, get(sluice.uri("web", "/ping")).statusCode());
            assertEquals("/ping", backend.take().pathQuery());
            // The app's router (no entryPoints) is not on the admin port.
            assertEquals(404, get(sluice.uri("traefik", "/")).statusCode());
        }
    }

    @Test
    void pingAnswersTheTerminatingStatusFromTheStartOfAGracefulShutdown() throws Exception {
        try (Backend backend = new Backend("app")) {
            pingDuringShutdown(web(backend) + """
                [entryPoints.traefik]
                address = "127.0.0.1:0"
                [entryPoints.traefik.transport.lifeCycle]
                requestAcceptGraceTimeout = "3s"
                [ping]
                terminatingStatusCode = 418
                """);
        }
    }

    private static void pingDuringShutdown(String config) throws Exception {
        Sluice sluice = Sluice.start(config);
        try {
            assertEquals(200, get(sluice.uri("traefik", "/ping")).statusCode());
            URI ping = sluice.uri("traefik", "/ping");
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> {
                try {
                    sluice.server.shutdown();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await("shutdown begun").atMost(Duration.ofSeconds(10)).until(() -> sluice.server.runtime().terminating());
            // Still accepting during requestAcceptGraceTimeout, and saying it is going away.
            HttpResponse<String> terminating = get(ping);
            assertEquals(418, terminating.statusCode());
            assertEquals("I'm a Teapot", terminating.body());
            stopping.get(30, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            sluice.close();
        }
    }

    @Test
    void apiInsecureServesTheApiOnTheTraefikEntryPointNotOnThePublicOne() throws Exception {
        try (Backend backend = new Backend("app"); Sluice sluice = Sluice.start(web(backend) + TRAEFIK + "[api]\ninsecure = true\n")) {
            HttpResponse<String> version = get(sluice.uri("traefik", "/api/version"));
            assertEquals(200, version.statusCode());
            assertEquals("application/json", version.headers().firstValue("Content-Type").orElse(""));
            assertTrue(version.body().contains("\"Version\":\"0.1.0\""), version.body());
            // On the public entry point /api is the app's.
            assertEquals(200, get(sluice.uri("web", "/api/version")).statusCode());
            assertEquals("/api/version", backend.take().pathQuery());
            // The dashboard (Traefik's default true): / redirects to /dashboard/ (DashboardTest has the rest).
            HttpResponse<String> root = get(sluice.uri("traefik", "/"));
            assertEquals(301, root.statusCode());
            assertEquals("/dashboard/", root.headers().firstValue("Location").orElse(""));
            HttpResponse<String> dashboard = get(sluice.uri("traefik", "/dashboard/"));
            assertEquals(200, dashboard.statusCode());
            assertTrue(dashboard.body().contains("<title>Sluice dashboard</title>"), dashboard.body());
            HttpResponse<String> unknown = get(sluice.uri("traefik", "/api/nothing"));
            assertEquals(404, unknown.statusCode());
            assertEquals("{\"message\":\"not found: /api/nothing\"}\n", unknown.body());
        }
    }

    @Test
    void aRouterPutsTheApiBehindBasicAuthOnAnEntryPointOfItsChoice() throws Exception {
        String config = """
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.admin]
                rule = "PathPrefix(`/api`)"
                service = "api@internal"
                middlewares = ["auth"]
                [http.middlewares.auth.basicAuth]
                users = ['admin:$2y$10$q8aD9MgQnmrBdgujWw/1Z./SSACjuwkDcPMryMWgxgAA9rTyUzLvW']
                [api]
                dashboard = false
                """;
        try (Sluice sluice = Sluice.start(config)) {
            URI version = sluice.uri("web", "/api/version");
            assertEquals(401, get(version).statusCode());
            HttpResponse<String> ok = get(version, "Authorization", basic("admin", "sluice"));
            assertEquals(200, ok.statusCode());
            assertTrue(ok.body().startsWith("{\"Version\":"), ok.body());
        }
    }

    @Test
    void basePathPrefixesTheApiAndItsRouter() throws Exception {
        try (Sluice sluice = Sluice.start(TRAEFIK + "[api]\ninsecure = true\ndashboard = false\nbasePath = \"/admin/\"\n")) {
            assertEquals(200, get(sluice.uri("traefik", "/admin/api/version")).statusCode());
            assertEquals(404, get(sluice.uri("traefik", "/api/version")).statusCode());
        }
    }

    @Test
    void theOverviewNamesTheFeaturesOn() throws Exception {
        try (Sluice sluice = Sluice.start(TRAEFIK + "[api]\ninsecure = true\ndashboard = false\n[metrics.prometheus]\n[accessLog]\n")) {
            String overview = get(sluice.uri("traefik", "/api/overview")).body();
            assertTrue(overview.contains("\"features\":{\"tracing\":\"\",\"metrics\":\"Prometheus\",\"accessLog\":true}"), overview);
            assertEquals(200, get(sluice.uri("traefik", "/metrics")).statusCode(), "prometheus@internal on the same entry point");
        }
    }
}
