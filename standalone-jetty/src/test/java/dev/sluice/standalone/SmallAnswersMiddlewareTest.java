package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Pingap's {@code responseHeaders} and {@code requestId} and Traefik's {@code contentType} over real
 * sockets: what the client gets over what the upstream sends, and what the upstream receives.
 */
class SmallAnswersMiddlewareTest extends BackendFixture {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** Sluice with middleware {@code m} of {@code type} on {@code /} (to the backend) and {@code /dead} (a closed port). */
    private void start(String type, String options) throws Exception {
        backend = new Backend("up");
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "s"
                middlewares = ["m"]
                [http.routers.dead]
                rule = "PathPrefix(`/dead`)"
                service = "dead"
                middlewares = ["m"]
                [http.middlewares.m.%s]
                %s
                [http.services.s.loadBalancer]
                [[http.services.s.loadBalancer.servers]]
                url = "%s"
                [http.services.dead.loadBalancer]
                [[http.services.dead.loadBalancer.servers]]
                url = "http://127.0.0.1:1"
                """.formatted(type, options, backend.url()));
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(sluice.uri("web", path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void responseHeadersAddSetSetIfAbsentRemoveAndRename() throws Exception {
        start("responseHeaders", """
                addHeaders = ["X-Service:1", "X-Service:2", "Link:<https://cdn.example>; rel=preconnect"]
                setHeaders = ["X-Response-Id:123", "Cache-Control:no-store"]
                setHeadersNotExists = ["X-Tag:default", "X-Kept:default"]
                removeHeaders = ["X-Powered-By"]
                renameHeaders = ["X-Old:X-New"]
                """);
        HttpResponse<String> response = get("/respond?body=hi&header=X-Service:0&header=X-Response-Id:upstream"
                + "&header=Cache-Control:max-age=60&header=X-Kept:upstream&header=X-Powered-By:php"
                + "&header=X-Old:a&header=X-Old:b");
        assertEquals("hi", response.body());
        assertEquals(List.of("0", "1", "2"), response.headers().allValues("X-Service"));
        assertEquals(List.of("<https://cdn.example>; rel=preconnect"), response.headers().allValues("Link"));
        assertEquals(List.of("123"), response.headers().allValues("X-Response-Id"));
        assertEquals(List.of("no-store"), response.headers().allValues("Cache-Control"));
        assertEquals(List.of("default"), response.headers().allValues("X-Tag"));
        assertEquals(List.of("upstream"), response.headers().allValues("X-Kept"));
        assertTrue(response.headers().firstValue("X-Powered-By").isEmpty());
        assertTrue(response.headers().firstValue("X-Old").isEmpty());
        assertEquals(List.of("a", "b"), response.headers().allValues("X-New"));
    }

    @Test
    void responseHeadersRemoveTheContentType() throws Exception {
        start("responseHeaders", "removeHeaders = [\"Content-Type\"]");
        HttpResponse<String> response = get("/respond?body=%7B%7D&type=application/json");
        assertEquals("{}", response.body());
        assertTrue(response.headers().firstValue("Content-Type").isEmpty(), response.headers().map().toString());
    }

    @Test
    void theFirstListedMiddlewareDecidesLastAsInTraefik() throws Exception {
        backend = new Backend("up");
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "s"
                middlewares = ["outer", "inner-chain"]
                [http.middlewares.outer.headers]
                frameDeny = true
                customResponseHeaders = { X-Layer = "outer" }
                [http.middlewares.inner-chain.chain]
                middlewares = ["inner", "id"]
                [http.middlewares.inner.responseHeaders]
                setHeaders = ["X-Frame-Options:SAMEORIGIN", "X-Layer:inner", "X-Inner:yes"]
                setHeadersNotExists = ["X-Default:inner"]
                addHeaders = ["X-List:inner"]
                [http.middlewares.id.requestId]
                [http.services.s.loadBalancer]
                [[http.services.s.loadBalancer.servers]]
                url = "%s"
                """.formatted(backend.url()));
        HttpResponse<String> response = get("/respond?body=x&header=X-List:upstream&header=X-Default:upstream");
        assertEquals(List.of("DENY"), response.headers().allValues("X-Frame-Options"));
        assertEquals(List.of("outer"), response.headers().allValues("X-Layer"));
        assertEquals(List.of("yes"), response.headers().allValues("X-Inner"));
        assertEquals(List.of("upstream"), response.headers().allValues("X-Default"));
        assertEquals(List.of("upstream", "inner"), response.headers().allValues("X-List"));
        assertEquals(backend.take().headers().get("X-Request-Id"), response.headers().firstValue("X-Request-Id").orElseThrow());
    }

    @Test
    void responseHeadersApplyToSluicesOwnErrors() throws Exception {
        start("responseHeaders", "setHeaders = [\"X-Served-By:sluice\"]\nsetHeadersNotExists = [\"Cache-Control:no-cache\"]");
        HttpResponse<String> response = get("/dead");
        assertEquals(502, response.statusCode());
        assertEquals("sluice", response.headers().firstValue("X-Served-By").orElse(""));
        assertEquals("no-cache", response.headers().firstValue("Cache-Control").orElse(""));
    }

    @Test
    void requestIdIsMadeAsUuidV7ForTheUpstreamAndTheClient() throws Exception {
        start("requestId", "");
        long before = System.currentTimeMillis();
        HttpResponse<String> response = get("/");
        String id = response.headers().firstValue("X-Request-Id").orElseThrow();
        assertEquals(id, backend.take().headers().get("X-Request-Id"));
        UUID uuid = UUID.fromString(id);
        assertEquals(7, uuid.version());
        assertEquals(2, uuid.variant());
        long millis = uuid.getMostSignificantBits() >>> 16;
        assertTrue(millis >= before && millis <= System.currentTimeMillis(), "timestamp of " + id);
        assertNotEquals(id, get("/").headers().firstValue("X-Request-Id").orElseThrow());
    }

    @Test
    void requestIdKeepsAnIncomingIdEvenOverTheUpstreamsAnswer() throws Exception {
        start("requestId", "");
        HttpResponse<String> response = get("/respond?body=x&header=X-Request-Id:upstream-made", "X-Request-Id", "abc-123");
        assertEquals("abc-123", backend.take().headers().get("X-Request-Id"));
        assertEquals(List.of("abc-123"), response.headers().allValues("X-Request-Id"));
    }

    @Test
    void requestIdNanoidWithSizeAndHeaderName() throws Exception {
        start("requestId", "algorithm = \"nanoid\"\nsize = 21\nheaderName = \"X-Trace\"");
        HttpResponse<String> response = get("/");
        String id = response.headers().firstValue("X-Trace").orElseThrow();
        assertTrue(id.matches("[A-Za-z0-9_-]{21}"), id);
        assertEquals(id, backend.take().headers().get("X-Trace"));
        assertTrue(response.headers().firstValue("X-Request-Id").isEmpty());
        assertEquals(id.length(), get("/dead").headers().firstValue("X-Trace").orElseThrow().length(), "also on Sluice's 502");
    }

    @Test
    void contentTypeIsSniffedOnlyWhenTheUpstreamSentNone() throws Exception {
        start("contentType", "");
        assertEquals("text/html;charset=utf-8", type(get("/respond?body=%20%3Chtml%3E%3Cbody%3Ehi")));
        assertEquals("application/pdf", type(get("/respond?body=%25PDF-1.7")));
        assertEquals("image/gif", type(get("/respond?body=GIF89a....")));
        assertEquals("text/xml;charset=utf-8", type(get("/respond?body=%3C%3Fxml%20version%3D%221.0%22%3F%3E")));
        assertEquals("text/plain;charset=utf-8", type(get("/respond?body=%7B%22json%22%3A1%7D")), "Go sniffs JSON as text");
        assertEquals("application/octet-stream", type(get("/respond?body=%01%02%03")));
        assertEquals("application/json", type(get("/respond?body=%3Chtml%3E&type=application/json")), "a set type wins");
        assertEquals("text/html;charset=utf-8", type(get("/respond?body=%3Cp%3Echunked%20body&chunks=3")), "streamed bodies too");
        assertTrue(get("/respond?status=204").headers().firstValue("Content-Type").isEmpty(), "no body, nothing to sniff");
        assertTrue(get("/respond?body=%3Chtml%3E&header=Content-Encoding:identity").headers().firstValue("Content-Type").isEmpty(),
                "encoded bodies are not sniffed");
    }

    @Test
    void withoutContentTypeAMissingTypeStaysMissing() throws Exception {
        start("contentType", "autoDetect = false");
        assertTrue(get("/respond?body=%3Chtml%3E").headers().firstValue("Content-Type").isEmpty());
    }

    private static String type(HttpResponse<String> response) {
        return response.headers().firstValue("Content-Type").orElse("(none)").replace(" ", "");
    }
}
