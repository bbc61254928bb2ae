package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** stripPrefixRegex, replacePath, replacePathRegex and encodedCharacters over real sockets: what the upstream receives. */
class PathsRewriteTest extends BackendFixture {
    /** One router on / through {@code middleware} (its TOML table, named m) to the backend. */
    private void start(String middleware) throws Exception {
        backend = new Backend("up");
        sluice = Sluice.start(Configs.behindMiddleware(backend, middleware));
    }

    private Backend.Seen through(String pathAndQuery) throws Exception {
        HttpResponse<String> response = PathsClient.get(sluice.uri("web", pathAndQuery));
        assertEquals(200, response.statusCode(), pathAndQuery + " -> " + response.body());
        return backend.take();
    }

    @Test
    void stripPrefixRegexRemovesTheFirstMatchingPrefixAndTellsIt() throws Exception {
        start("""
                [http.middlewares.m.stripPrefixRegex]
                regex = ["/v[0-9]+", "/api/[a-z]+"]
                """);
        Backend.Seen seen = through("/v12/users?x=1");
        assertEquals("/users?x=1", seen.pathQuery());
        assertEquals("/v12", seen.headers().get("X-Forwarded-Prefix"));

        seen = through("/api/shop/items%2Fall");
        assertEquals("/items%2Fall", seen.pathQuery(), "the raw path keeps its encoding");
        assertEquals("/api/shop", seen.headers().get("X-Forwarded-Prefix"));

        seen = through("/v3");
        assertEquals("/", seen.pathQuery(), "an emptied path becomes /");

        seen = through("/other/v1/x");
        assertEquals("/other/v1/x", seen.pathQuery(), "anchored at the start: a match further in is not a prefix");
        assertNull(seen.headers().get("X-Forwarded-Prefix"));
    }

    @Test
    void stripPrefixRegexWithoutLeadingSlashLeavesOne() throws Exception {
        start("""
                [http.middlewares.m.stripPrefixRegex]
                regex = ["/[a-z]+/"]
                """);
        Backend.Seen seen = through("/abc/def");
        assertEquals("/def", seen.pathQuery());
        assertEquals("/abc/", seen.headers().get("X-Forwarded-Prefix"));
    }

    @Test
    void replacePathSetsThePathKeepsTheQueryAndTellsTheOriginal() throws Exception {
        start("""
                [http.middlewares.m.replacePath]
                path = "/new%20path"
                """);
        Backend.Seen seen = through("/old/p%2Fq?a=1&b=2");
        assertEquals("/new%20path?a=1&b=2", seen.pathQuery());
        assertEquals("/old/p%2Fq", seen.headers().get("X-Replaced-Path"));
    }

    @Test
    void replacePathOverwritesAClientsXReplacedPath() throws Exception {
        start("""
                [http.middlewares.m.replacePath]
                path = "/fixed"
                """);
        PathsClient.get(sluice.uri("web", "/real"), "X-Replaced-Path", "/forged");
        assertEquals("/real", backend.take().headers().get("X-Replaced-Path"));
    }

    @Test
    void replacePathRegexExpandsGroupsAsGoDoes() throws Exception {
        start("""
                [http.middlewares.m.replacePathRegex]
                regex = "^/foo/(.*)"
                replacement = "/bar/${1}x/$1"
                """);
        Backend.Seen seen = through("/foo/a%2Fb?q=%2F");
        assertEquals("/bar/a%2Fbx/a%2Fb?q=%2F", seen.pathQuery());
        assertEquals("/foo/a%2Fb", seen.headers().get("X-Replaced-Path"));

        seen = through("/elsewhere");
        assertEquals("/elsewhere", seen.pathQuery(), "no match, no change");
        assertNull(seen.headers().get("X-Replaced-Path"));
    }

    @Test
    void replacePathRegexReplacesEveryMatchAndEmptyBecomesSlash() throws Exception {
        start("""
                [http.middlewares.m.replacePathRegex]
                regex = "/(?P<word>[a-z]+)"
                replacement = "/${word}-$1x"
                """);
        // $1x names a group "1x", which does not exist: it expands to nothing, as in Go.
        assertEquals("/a-/b-", through("/a/b").pathQuery());
    }

    @Test
    void replacePathRegexToNothingSendsSlash() throws Exception {
        start("""
                [http.middlewares.m.replacePathRegex]
                regex = "^/drop.*"
                replacement = "$$"
                """);
        assertEquals("/$", through("/drop/me").pathQuery(), "$$ is a literal dollar; a result without / gets one");
    }

    @Test
    void replacePathRegexThatBreaksTheEncodingIs500() throws Exception {
        start("""
                [http.middlewares.m.replacePathRegex]
                regex = "^/p/(.*)"
                replacement = "/%${1}"
                """);
        HttpResponse<String> response = PathsClient.get(sluice.uri("web", "/p/zz"));
        assertEquals(500, response.statusCode());
        assertEquals(0, backend.received());
    }

    @Test
    void encodedCharactersRefusesEachByDefaultInEitherCase() throws Exception {
        start("""
                [http.middlewares.m.encodedCharacters]
                """);
        // %00 is not in this list: embedded Jetty refuses it (400) before any middleware runs.
        for (String code : new String[] {"%2F", "%2f", "%5C", "%5c", "%3B", "%3b", "%25", "%3F", "%3f", "%23"}) {
            HttpResponse<String> response = PathsClient.get(sluice.uri("web", "/a" + code + "b"));
            assertEquals(400, response.statusCode(), code);
            assertEquals("400 Bad Request\n", response.body());
        }
        assertEquals(0, backend.received(), "nothing refused reached the upstream");
        assertEquals("/a%20b%41?q=%2F", through("/a%20b%41?q=%2F").pathQuery(), "other codes, and the query, are not its business");
    }

    @Test
    void encodedCharactersAllowsWhatItIsTold() throws Exception {
        start("""
                [http.middlewares.m.encodedCharacters]
                allowEncodedSlash = true
                allowEncodedBackSlash = true
                allowEncodedNullCharacter = true
                allowEncodedSemicolon = true
                allowEncodedPercent = true
                allowEncodedQuestionMark = true
                """);
        assertEquals("/a%2F%5c%3B%25%3Fb", through("/a%2F%5c%3B%25%3Fb").pathQuery());
        assertEquals(400, PathsClient.get(sluice.uri("web", "/a%23")).statusCode(), "hash still refused");
    }

    @Test
    void encodedCharactersRefusesATruncatedEscape() throws Exception {
        start("""
                [http.middlewares.m.encodedCharacters]
                allowEncodedSlash = true
                """);
        String response = PathsClient.raw(sluice.port("web"), "GET /a%2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 400"), response);
        assertEquals(0, backend.received());
    }
}
