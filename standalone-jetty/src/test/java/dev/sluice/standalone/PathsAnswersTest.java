package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Pingap's small answers over real sockets: ping, mock, uaRestriction, refererRestriction. */
class PathsAnswersTest extends BackendFixture {
    /** One router on / through {@code middleware} (its TOML table, named m) to the backend. */
    private void start(String middleware) throws Exception {
        backend = new Backend("up");
        sluice = Sluice.start(Configs.behindMiddleware(backend, middleware));
    }

    private HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
        return PathsClient.get(sluice.uri("web", pathAndQuery), headers);
    }

    private void assertPassed(HttpResponse<String> response, String path) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("up", response.body());
        assertEquals(path, backend.take().pathQuery());
    }

    @Test
    void pingAnswersPongOnItsPathOnly() throws Exception {
        start("""
                [http.middlewares.m.ping]
                path = "/ping"
                """);
        HttpResponse<String> pong = get("/ping?verbose");
        assertEquals(200, pong.statusCode());
        assertEquals("pong", pong.body());
        assertEquals(0, backend.received());
        assertPassed(get("/ping/more"), "/ping/more");
        assertPassed(get("/pingx"), "/pingx");
    }

    @Test
    void mockAnswersEverythingByDefaultWith200() throws Exception {
        start("""
                [http.middlewares.m.mock]
                data = "canned"
                """);
        for (String path : new String[] {"/", "/any/thing?x"}) {
            HttpResponse<String> response = get(path);
            assertEquals(200, response.statusCode());
            assertEquals("canned", response.body());
        }
        HttpResponse<String> post = PathsClient.send("POST", sluice.uri("web", "/submit"));
        assertEquals("canned", post.body());
        assertEquals(0, backend.received(), "the upstream is never called");
    }

    @Test
    void mockStatusHeadersAndPath() throws Exception {
        start("""
                [http.middlewares.m.mock]
                path = "/down"
                status = 503
                headers = ["Content-Type: application/json", "Retry-After: 120", "X-Mock:a:b"]
                data = '{"message":"maintenance"}'
                """);
        HttpResponse<String> response = get("/down");
        assertEquals(503, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(null));
        assertEquals("120", response.headers().firstValue("Retry-After").orElse(null));
        assertEquals("a:b", response.headers().firstValue("X-Mock").orElse(null));
        assertEquals("{\"message\":\"maintenance\"}", response.body());
        assertPassed(get("/up"), "/up");
    }

    @Test
    void mockDelayAnswersLaterAndConcurrently() throws Exception {
        start("""
                [http.middlewares.m.mock]
                status = 202
                delay = "400ms"
                data = "late"
                """);
        // Forty at once are all answered after about one delay, not forty.
        long start = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            answers.add(PathsClient.getAsync(sluice.uri("web", "/slow")));
        }
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get(20, TimeUnit.SECONDS);
            assertEquals(202, response.statusCode());
            assertEquals("late", response.body());
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis >= 400, "answered after the delay, took " + millis + " ms");
        assertTrue(millis < 8_000, "answered together, not one after another (40 x 400 ms = 16 s): " + millis + " ms");
        assertEquals(0, backend.received());
    }

    @Test
    void uaRestrictionDenyRefusesMatchingAgents() throws Exception {
        start("""
                [http.middlewares.m.uaRestriction]
                uaList = ["go-http-client/1.1", "(Twitterspider)/(\\\\d+)\\\\.(\\\\d+)"]
                type = "deny"
                """);
        for (String agent : new String[] {"go-http-client/1.1", "Mozilla Twitterspider/2.10 (bot)"}) {
            HttpResponse<String> refused = get("/", "User-Agent", agent);
            assertEquals(403, refused.statusCode(), agent);
            assertEquals("Request is forbidden", refused.body());
        }
        assertEquals(0, backend.received());
        assertPassed(get("/ok", "User-Agent", "curl/8.0"), "/ok");
        assertPassed(get("/ok", "User-Agent", "Twitterspider/x"), "/ok");
    }

    @Test
    void uaRestrictionAllowByDefaultLetsOnlyListedAgentsPass() throws Exception {
        start("""
                [http.middlewares.m.uaRestriction]
                uaList = ["^curl/"]
                message = "browsers only, sorry: curl only"
                """);
        assertPassed(get("/", "User-Agent", "curl/8.4.0"), "/");
        HttpResponse<String> refused = get("/", "User-Agent", "Mozilla/5.0 curl/8");
        assertEquals(403, refused.statusCode());
        assertEquals("browsers only, sorry: curl only", refused.body());
        String raw = PathsClient.raw(sluice.port("web"), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(raw.startsWith("HTTP/1.1 403"), "no User-Agent at all is not listed: " + raw);
    }

    @Test
    void refererRestrictionMatchesHostsAndWildcards() throws Exception {
        start("""
                [http.middlewares.m.refererRestriction]
                refererList = ["github.com", "*.example.com"]
                type = "deny"
                message = "hotlinking refused"
                """);
        for (String referer : new String[] {"https://github.com/x", "http://GitHub.com:8080/", "https://img.example.com/a?b", "https://a.b.example.com/"}) {
            HttpResponse<String> refused = get("/img.png", "Referer", referer);
            assertEquals(403, refused.statusCode(), referer);
            assertEquals("hotlinking refused", refused.body());
        }
        assertEquals(0, backend.received());
        assertPassed(get("/img.png", "Referer", "https://example.com/"), "/img.png"); // *.example.com needs a label in front
        assertPassed(get("/img.png", "Referer", "https://gitlab.com/"), "/img.png");
        assertPassed(get("/img.png"), "/img.png");
        assertPassed(get("/img.png", "Referer", "not a url"), "/img.png");
    }

    @Test
    void refererRestrictionAllowRefusesUnlistedAndMissingReferers() throws Exception {
        start("""
                [http.middlewares.m.refererRestriction]
                refererList = ["*.mysite.org", "mysite.org"]
                """);
        assertPassed(get("/a", "Referer", "https://mysite.org/page"), "/a");
        assertPassed(get("/a", "Referer", "https://www.mysite.org/page"), "/a");
        assertEquals(403, get("/a", "Referer", "https://evil.org/").statusCode());
        assertEquals(403, get("/a").statusCode(), "no Referer is not an allowed one");
        assertEquals("Request is forbidden", get("/a").body());
    }
}
