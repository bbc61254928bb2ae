package dev.sluice.standalone;

import static dev.sluice.standalone.AuthTestSupport.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The route explainer on tricky priority cases, over real sockets ({@code /api/explain} of a running
 * Sluice) and from the command line ({@code sluice explain}): the longer rule wins, an explicit
 * priority beats length, HostRegexp against Host, a missing header, TLS against plain routers, no
 * router at all; the upstream path after stripPrefix; and the server the balancer will pick,
 * predicted without moving the round-robin on.
 */
class RouteExplainerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Backend a;
    private static Backend b;
    private static Sluice sluice;

    static String config(String first, String second) {
        return """
                [entryPoints.web]
                address = "127.0.0.1:0"
                [entryPoints.traefik]
                address = "127.0.0.1:0"
                [api]
                insecure = true
                dashboard = false

                [http.routers.short]
                rule = "PathPrefix(`/`)"
                service = "site"
                [http.routers.long]
                rule = "Host(`a.test`) && PathPrefix(`/api`)"
                service = "api"
                middlewares = ["strip-api"]
                [http.routers.pinned]
                rule = "Host(`a.test`) && PathPrefix(`/api/admin`)"
                service = "site"
                priority = 1
                [http.routers.host]
                rule = "Host(`b.test`)"
                service = "site"
                [http.routers.regexp]
                rule = "HostRegexp(`^b\\\\.test$`)"
                service = "api"
                [http.routers.canary]
                rule = "Header(`X-Canary`, `on`) && PathPrefix(`/`)"
                service = "site"
                [http.routers.secure]
                rule = "Host(`a.test`)"
                service = "site"
                [http.routers.secure.tls]

                [http.middlewares.strip-api.stripPrefix]
                prefixes = ["/api"]
                [http.services.api.loadBalancer]
                [[http.services.api.loadBalancer.servers]]
                url = "%s"
                [[http.services.api.loadBalancer.servers]]
                url = "%s"
                [[http.services.site.loadBalancer.servers]]
                url = "%s"
                """.formatted(first, second, first);
    }

    @BeforeAll
    static void start() throws Exception {
        a = new Backend("a");
        b = new Backend("b");
        sluice = Sluice.start(config(a.url(), b.url()));
    }

    @AfterAll
    static void stop() throws Exception {
        sluice.close();
        a.close();
        b.close();
    }

    private static JsonNode explain(String query) throws Exception {
        HttpResponse<String> response = get(sluice.uri("traefik", "/api/explain?" + query));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode entryPoints = JSON.readTree(response.body()).path("entryPoints");
        assertEquals(1, entryPoints.size(), "the URL's port is no entry point's: every HTTP one but traefik, here web");
        assertEquals("web", entryPoints.get(0).path("entryPoint").asText());
        return entryPoints.get(0);
    }

    private static String url(String url) {
        return "url=" + URLEncoder.encode(url, StandardCharsets.UTF_8);
    }

    private static String reason(JsonNode explained, String router) {
        for (JsonNode c : explained.path("candidates")) {
            if (c.path("router").asText().equals(router)) {
                return c.path("reason").asText();
            }
        }
        throw new AssertionError(router + " is no candidate: " + explained);
    }

    private static List<String> order(JsonNode explained) {
        List<String> names = new ArrayList<>();
        explained.path("candidates").forEach(c -> names.add(c.path("router").asText()));
        return names;
    }

    @Test
    void theLongerRuleWinsAndEveryCandidateSaysWhyItLost() throws Exception {
        JsonNode e = explain(url("http://a.test/api/users?page=2"));
        assertEquals("long@file", e.path("router").asText());
        // Tried in priority order, the rule's length by default (44, 36, 23, 15, 14 and 14 by name), pinned's explicit 1 last.
        assertEquals(List.of("canary@file", "long@file", "regexp@file", "short@file", "host@file", "secure@file", "pinned@file"), order(e));
        assertEquals("rule did not match: Header(`X-Canary`, `on`): no X-Canary header", reason(e, "canary@file"));
        assertEquals("matches too, but long@file is tried first (priority 36 > 15)", reason(e, "short@file"));
        assertEquals("rule did not match: PathPrefix(`/api/admin`): path is \"/api/users\"", reason(e, "pinned@file"));
        assertEquals("a TLS router; the request is plain HTTP", reason(e, "secure@file"));
        assertEquals("rule did not match: Host(`b.test`): host is \"a.test\"", reason(e, "host@file"));
        assertEquals(List.of("strip-api@file (stripPrefix)"), JSON.convertValue(e.path("middlewares"), List.class));
        assertEquals("/users?page=2", e.path("path").asText());
        assertEquals("api", e.path("service").asText());
        assertEquals("UP", e.path("upstream").path("serverStatus").asText());
    }

    @Test
    void anExplicitPriorityBeatsALongerRule() throws Exception {
        JsonNode e = explain(url("http://a.test/api/admin"));
        assertEquals("long@file", e.path("router").asText());
        assertEquals("matches too, but long@file is tried first (priority 36 > 1)", reason(e, "pinned@file"));
    }

    @Test
    void hostRegexpOutranksHostByItsLongerRule() throws Exception {
        JsonNode e = explain(url("http://b.test/"));
        assertEquals("regexp@file", e.path("router").asText());
        assertEquals("matches too, but regexp@file is tried first (priority 23 > 14)", reason(e, "host@file"));
    }

    @Test
    void aHeaderMatcherAndTlsDecide() throws Exception {
        assertEquals("canary@file", explain(url("http://c.test/x") + "&header=X-Canary:on").path("router").asText());
        JsonNode tls = explain(url("https://a.test/api/users"));
        assertEquals("secure@file", tls.path("router").asText());
        assertEquals("a plain-HTTP router; the request came over TLS", reason(tls, "long@file"));
        JsonNode none = JSON.readTree(get(sluice.uri("traefik", "/api/explain?entryPoint=traefik&" + url("http://x.test/zzz"))).body())
                .path("entryPoints").get(0);
        assertTrue(none.path("router").isNull(), none.toString());
        assertEquals(404, none.path("status").asInt());
        assertEquals("rule did not match: PathPrefix(`/api`): path is \"/zzz\"", reason(none, "api@internal"));
    }

    @Test
    void thePredictedServerIsTheOneTheNextRequestReachesAndLookingMovesNothing() throws Exception {
        String query = url("http://a.test/api/users");
        String predicted = explain(query).path("upstream").path("server").asText();
        assertEquals(predicted, explain(query).path("upstream").path("server").asText(), "explaining does not move the round-robin");
        HttpResponse<String> real = get(sluice.uri("web", "/api/users"), "Host", "a.test");
        assertEquals(200, real.statusCode());
        Backend reached = predicted.equals(a.url()) ? a : b;
        assertEquals("/users", reached.take().pathQuery());
        String next = explain(query).path("upstream").path("server").asText();
        assertTrue(!next.equals(predicted), "after a real request the round-robin moved on: " + next);
    }

    @Test
    void badQuestionsAre400WithTheParameter() throws Exception {
        HttpResponse<String> noUrl = get(sluice.uri("traefik", "/api/explain"));
        assertEquals(400, noUrl.statusCode());
        assertEquals("{\"message\":\"url: missing, e.g. url=https://example.com/path\"}\n", noUrl.body());
        HttpResponse<String> unknown = get(sluice.uri("traefik", "/api/explain?entryPoint=nope&" + url("http://a.test/")));
        assertEquals("{\"message\":\"entryPoint: unknown entry point \\\"nope\\\"\"}\n", unknown.body());
    }

    @Test
    void theCommandLineExplainsFromTheConfigurationAlone(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("sluice.toml"), config("http://127.0.0.1:9001", "http://127.0.0.1:9002"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "explain", "--config", file.toString(),
                "http://a.test/api/users", "-H", "X-Trace: 1", "--client-ip", "10.0.0.7");
        assertEquals(0, code, err.toString());
        String text = out.toString();
        assertTrue(text.startsWith("GET http://a.test/api/users (plain HTTP, client 10.0.0.7)\n  X-Trace: 1\n"), text);
        assertTrue(text.contains("entry point web\n"), text);
        assertTrue(text.contains("WINS: wins: the first router, in priority order, whose rule matches"), text);
        assertTrue(text.contains("  => router long@file, service api\n     middlewares: strip-api@file (stripPrefix)\n     upstream path: /users\n"), text);
        assertTrue(text.contains("server: http://127.0.0.1:9001 (UP) of api, request to http://127.0.0.1:9001/users"), text);
        StringWriter json = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(json, true), new PrintWriter(err, true), "explain", "--config", file.toString(),
                "--json", "--method", "post", "http://b.test/"));
        JsonNode explained = JSON.readTree(json.toString());
        assertEquals("POST", explained.path("request").path("method").asText());
        assertEquals("regexp@file", explained.path("entryPoints").get(0).path("router").asText());
        assertEquals(2, Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "explain", "--config", file.toString(), "a.test/x"));
        assertTrue(err.toString().contains("sluice explain: url: an absolute http:// or https:// URL is needed"), err.toString());
    }
}
