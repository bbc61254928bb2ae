package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The subFilter middleware over real sockets: bodies rewritten as they stream from a real upstream. */
class SubFilterMiddlewareTest extends BackendFixture {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private void start(String options) throws Exception {
        backend = new Backend("b");
        sluice = Sluice.start(Configs.behindMiddleware(backend, "[http.middlewares.m.subFilter]\n" + options));
    }

    private HttpResponse<String> respond(String body, String query, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(sluice.uri("web",
                "/respond?body=" + URLEncoder.encode(body, StandardCharsets.UTF_8) + query)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void replacesInHtmlStreamedInManyPieces() throws Exception {
        start("""
                filters = [
                    "sub_filter 'http://old.example' 'https://new.example' g",
                    "subs_filter '<title>(.*?)</title>' '<title>$1 - Docs</title>'",
                    "sub_filter '</head>' '<script src=\\"/a.js\\"></script></head>'",
                ]
                """);
        String page = "<html><head><title>Home</title></head><body><a href=\"http://old.example/a\">a</a>"
                + " <a href=\"http://old.example/b\">b</a></body></html>";
        HttpResponse<String> response = respond(page, "&type=text/html;%20charset=utf-8&chunks=13&gapMs=5");
        assertEquals(200, response.statusCode());
        assertEquals("<html><head><title>Home - Docs</title><script src=\"/a.js\"></script></head><body>"
                + "<a href=\"https://new.example/a\">a</a> <a href=\"https://new.example/b\">b</a></body></html>", response.body());
    }

    @Test
    void rewrittenResponseLosesLengthAndRangesAndGetsAWeakETag() throws Exception {
        start("filters = [\"sub_filter 'cat' 'tiger' g\"]");
        HttpResponse<String> response = respond("a cat and a cat", "&type=text/html&header=ETag:%22v1%22&header=Accept-Ranges:bytes",
                "Range", "bytes=0-3");
        assertEquals(200, response.statusCode());
        assertEquals("a tiger and a tiger", response.body());
        // The upstream's length is dropped; one the container computes for the rewritten body is right.
        response.headers().firstValueAsLong("Content-Length").ifPresent(length ->
                assertEquals(response.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length, length));
        assertNull(response.headers().firstValue("Accept-Ranges").orElse(null));
        assertEquals("W/\"v1\"", response.headers().firstValue("ETag").orElse(null));
        assertNull(backend.take().headers().get("Range"), "the upstream is asked for the whole body");
    }

    @Test
    void onlyTheFirstOccurrenceWithoutG() throws Exception {
        start("filters = [\"sub_filter 'cat' 'tiger'\"]");
        assertEquals("a tiger and a cat", respond("a cat and a cat", "&type=text/html&chunks=5").body());
    }

    @Test
    void otherTypesEncodedBodiesAndUnlistedStatusesAreLeftAlone() throws Exception {
        start("filters = [\"sub_filter 'cat' 'tiger' g\"]\nstatusCodes = \"200,404\"");
        HttpResponse<String> json = respond("a cat", "&type=application/json");
        assertEquals("a cat", json.body());
        assertEquals("5", json.headers().firstValue("Content-Length").orElse(null));
        assertEquals("a cat", respond("a cat", "&type=text/html&header=Content-Encoding:x-custom").body());
        assertEquals("a cat", respond("a cat", "&type=text/html&status=500").body());
        assertEquals("a tiger", respond("a cat", "&type=text/html&status=404").body());
    }

    @Test
    void typesAndPathChooseWhatIsRewritten() throws Exception {
        start("filters = [\"sub_filter 'cat' 'tiger' g\"]\ntypes = [\"*\"]\npath = \"^/respond\"");
        assertEquals("a tiger", respond("a cat", "&type=application/json").body());
        HttpResponse<String> other = client.send(HttpRequest.newBuilder(sluice.uri("web", "/other")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("b", other.body(), "another path is not rewritten (the backend answers its name)");
    }

    @Test
    void bigBodyStreamsThrough() throws Exception {
        start("filters = [\"sub_filter 'xxxx' 'y' g\"]\ntypes = [\"*\"]");
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(sluice.uri("web", "/respond?size=400003&chunks=7")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("y".repeat(100_000) + "xxx", response.body());
        assertTrue(response.headers().firstValue("Content-Length").isEmpty());
    }
}
