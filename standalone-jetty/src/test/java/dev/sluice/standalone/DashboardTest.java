package dev.sluice.standalone;

import static dev.sluice.standalone.AuthTestSupport.get;
import static dev.sluice.standalone.AuthTestSupport.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's files over real sockets: content types, revalidation by ETag, the CSP that allows
 * this origin only, the redirects to {@code /dashboard/}, 404 with {@code api.dashboard = false}, under
 * {@code api.basePath}; and Sluice's {@code /api/reloads} it reads. {@link DashboardBrowserTest} runs it in Chromium.
 */
class DashboardTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRAEFIK = """
            [entryPoints.traefik]
            address = "127.0.0.1:0"
            """;

    @Test
    void servesItsFilesWithTypesRevalidationAndACspOfThisOriginOnly() throws Exception {
        try (Sluice sluice = Sluice.start(TRAEFIK + "[api]\ninsecure = true\n")) {
            HttpResponse<String> page = get(sluice.uri("traefik", "/dashboard/"));
            assertEquals(200, page.statusCode());
            assertEquals("text/html;charset=utf-8", page.headers().firstValue("Content-Type").orElse("").replace(" ", ""));
            String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(csp.startsWith("default-src 'none'; script-src 'self'; style-src 'self';"), csp);
            assertTrue(csp.contains("connect-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);
            assertFalse(csp.contains("http:") || csp.contains("https:") || csp.contains("*") || csp.contains("unsafe"), csp);
            assertEquals("no-cache", page.headers().firstValue("Cache-Control").orElse(""));
            assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
            assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(""));
            assertTrue(page.body().contains("<script src=\"dashboard.js\" defer></script>"), page.body());
            assertFalse(java.util.regex.Pattern.compile("(src|href)=\"[^\"]*(:|//)").matcher(page.body()).find(),
                    "no absolute or protocol-relative URL: nothing from elsewhere");

            Map<String, String> types = Map.of("dashboard.js", "text/javascript", "dashboard.css", "text/css", "favicon.svg", "image/svg+xml");
            for (var e : types.entrySet()) {
                HttpResponse<String> file = get(sluice.uri("traefik", "/dashboard/" + e.getKey()));
                assertEquals(200, file.statusCode(), e.getKey());
                assertTrue(file.headers().firstValue("Content-Type").orElse("").startsWith(e.getValue()), e.getKey());
                assertTrue(file.headers().firstValue("Content-Security-Policy").isPresent(), e.getKey());
            }
            String js = get(sluice.uri("traefik", "/dashboard/dashboard.js")).body();
            assertFalse(js.contains("innerHTML"), "configuration values are put in the page as text only");

            String etag = page.headers().firstValue("ETag").orElseThrow();
            HttpResponse<String> again = get(sluice.uri("traefik", "/dashboard/"), "If-None-Match", etag);
            assertEquals(304, again.statusCode());
            assertEquals("", again.body());
            assertEquals(200, get(sluice.uri("traefik", "/dashboard/"), "If-None-Match", "\"other\"").statusCode());

            HttpResponse<String> head = send("HEAD", sluice.uri("traefik", "/dashboard/dashboard.css"), null);
            assertEquals(200, head.statusCode());
            assertEquals("", head.body());
            assertEquals(405, send("POST", sluice.uri("traefik", "/dashboard/"), "x").statusCode());
            assertEquals(404, get(sluice.uri("traefik", "/dashboard/secret.txt")).statusCode());
            assertEquals(404, get(sluice.uri("traefik", "/dashboard/../pom.xml")).statusCode());

            for (String from : new String[] {"/", "/dashboard"}) {
                HttpResponse<String> redirect = get(sluice.uri("traefik", from + "?refresh=1000"));
                assertEquals(301, redirect.statusCode(), from);
                assertEquals("/dashboard/?refresh=1000", redirect.headers().firstValue("Location").orElse(""), from);
            }
        }
    }

    @Test
    void dashboardFalseLeavesNothingAtDashboard() throws Exception {
        try (Sluice sluice = Sluice.start(TRAEFIK + "[api]\ninsecure = true\ndashboard = false\n")) {
            assertEquals(404, get(sluice.uri("traefik", "/dashboard/")).statusCode());
            assertEquals(404, get(sluice.uri("traefik", "/dashboard/dashboard.js")).statusCode());
            assertEquals(404, get(sluice.uri("traefik", "/")).statusCode());
            assertEquals(200, get(sluice.uri("traefik", "/api/overview")).statusCode());
        }
    }

    @Test
    void underABasePathThePageAndTheApiItReadsMoveTogether() throws Exception {
        try (Sluice sluice = Sluice.start(TRAEFIK + "[api]\ninsecure = true\nbasePath = \"/admin\"\n")) {
            assertEquals(200, get(sluice.uri("traefik", "/admin/dashboard/")).statusCode());
            assertEquals("/admin/dashboard/", get(sluice.uri("traefik", "/admin")).headers().firstValue("Location").orElse(""));
            // The page reads ../api/ relative to itself: /admin/api/.
            assertEquals(200, get(sluice.uri("traefik", "/admin/api/reloads")).statusCode());
        }
    }

    @Test
    void apiReloadsCountsTheFirstConfigurationAsApplied() throws Exception {
        try (Sluice sluice = Sluice.start(TRAEFIK + "[api]\ninsecure = true\n")) {
            HttpResponse<String> answer = get(sluice.uri("traefik", "/api/reloads"));
            assertEquals(200, answer.statusCode());
            assertEquals("application/json", answer.headers().firstValue("Content-Type").orElse(""));
            JsonNode reloads = JSON.readTree(answer.body());
            assertEquals(1, reloads.path("applied").asInt());
            assertEquals(0, reloads.path("rejected").asInt());
            assertTrue(reloads.path("lastApplied").asText().endsWith("Z"), answer.body());
            assertTrue(reloads.path("lastRejected").isNull(), answer.body());
            assertEquals(0, reloads.path("recentRejections").size());
            assertEquals(404, get(sluice.uri("traefik", "/api/reloads/more")).statusCode());
        }
    }
}
