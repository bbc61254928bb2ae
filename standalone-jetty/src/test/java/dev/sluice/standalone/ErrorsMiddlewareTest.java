package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.RefusingPort;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code errors} middleware over real sockets: an app backend, a pages backend, real Sluice. */
class ErrorsMiddlewareTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Backend app;
    private Backend pages;
    private Sluice sluice;

    @BeforeEach
    void backends() throws Exception {
        app = new Backend("app");
        pages = new Backend("pages");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {sluice, app, pages}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    /** Sluice with router r → service app behind middleware oops, whose options are {@code errors}. */
    private void start(String errors, String appUrl, String pagesService) throws Exception {
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "app"
                middlewares = ["oops"]
                [http.middlewares.oops.errors]
                service = "pages"
                %s
                [http.services.app.loadBalancer]
                servers = [{url = "%s"}]
                [http.services.pages.loadBalancer]
                %s
                """.formatted(errors, appUrl, pagesService));
    }

    private void start(String errors) throws Exception {
        start(errors, app.url(), "servers = [{url = \"" + pages.url() + "\"}]");
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(sluice.uri("web", path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String type(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type").orElse(null);
    }

    @Test
    void aCaughtStatusGetsThePageInsteadOfTheUpstreamBody() throws Exception {
        start("""
                status = ["500,502", "503-504"]
                query = "/respond?type=text/html&body=page+{status}+{originalStatus}"
                """);
        HttpResponse<String> response = get("/respond?status=503&type=application/json&body=upstream-secret&header=X-Upstream:yes");
        assertEquals(503, response.statusCode());
        assertEquals("page 503 503", response.body());
        assertEquals("text/html", type(response));
        assertTrue(response.headers().firstValue("X-Upstream").isEmpty(), "nothing of the upstream answer leaks");
        assertEquals("/respond?status=503&type=application/json&body=upstream-secret&header=X-Upstream:yes", app.take().pathQuery());
        Backend.Seen page = pages.take();
        assertEquals("GET", page.method());
        assertEquals("/respond?type=text/html&body=page+503+503", page.pathQuery());
        assertEquals("127.0.0.1:" + sluice.port("web"), page.headers().get("Host"), "the client's Host by default");
    }

    @Test
    void otherStatusesStreamThroughUntouched() throws Exception {
        start("""
                status = ["500-599"]
                query = "/respond?body=page"
                """);
        HttpResponse<String> notFound = get("/respond?status=404&type=text/plain&body=missing");
        assertEquals(404, notFound.statusCode());
        assertEquals("missing", notFound.body());
        HttpResponse<byte[]> big = client.send(HttpRequest.newBuilder(sluice.uri("web", "/bytes?n=3000000")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, big.statusCode());
        assertEquals(3_000_000, big.body().length);
        for (int i = 0; i < big.body().length; i += 4099) {
            assertEquals((byte) (i % 251), big.body()[i], "byte " + i);
        }
        HttpResponse<String> chunked = get("/respond?status=200&body=abcdefgh&chunks=4&gapMs=20");
        assertEquals("abcdefgh", chunked.body());
        assertEquals(0, pages.received(), "no page requested");
    }

    @Test
    void anUncaughtAnswerStreamsWithoutWaitingForItsEnd() throws Exception {
        start("status = [\"500-599\"]");
        HttpResponse<java.io.InputStream> response = client.send(HttpRequest.newBuilder(sluice.uri("web", "/hold")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        try (java.io.InputStream body = response.body()) {
            assertEquals(64 * 1024, body.readNBytes(64 * 1024).length, "the first part arrived while the upstream held the rest");
            app.release();
            assertEquals(64 * 1024, body.readAllBytes().length);
        }
    }

    @Test
    void statusRewritesChangeWhatTheClientSeesAndFillStatusPlaceholders() throws Exception {
        start("""
                status = ["418", "500-599"]
                query = "/respond?type=text/plain&body={status}+from+{originalStatus}"
                [http.middlewares.oops.errors.statusRewrites]
                "418" = 404
                "502-504" = 500
                """);
        HttpResponse<String> teapot = get("/respond?status=418");
        assertEquals(404, teapot.statusCode());
        assertEquals("404 from 418", teapot.body());
        HttpResponse<String> gateway = get("/respond?status=503");
        assertEquals(500, gateway.statusCode());
        assertEquals("500 from 503", gateway.body());
        HttpResponse<String> plain = get("/respond?status=501");
        assertEquals(501, plain.statusCode(), "not rewritten");
        assertEquals("501 from 501", plain.body());
    }

    @Test
    void urlPlaceholderIsTheQueryEscapedRequestUri() throws Exception {
        start("""
                status = ["500"]
                query = "/respond?body={url}"
                """);
        HttpResponse<String> response = get("/respond?status=500&x=a%20b");
        assertEquals(500, response.statusCode());
        assertEquals("/respond?status=500&x=a%20b", response.body(), "the page backend decoded what it got");
        assertEquals("/respond?body=%2Frespond%3Fstatus%3D500%26x%3Da%2520b", pages.take().pathQuery());
    }

    @Test
    void everyClientHeaderGoesToThePageUnlessErrorRequestHeadersLimitsThem() throws Exception {
        start("""
                status = ["500"]
                query = "/respond?body=page"
                """);
        get("/respond?status=500", "Authorization", "Bearer t", "Cookie", "c=1", "X-Keep", "k");
        Backend.Seen all = pages.take();
        assertEquals("Bearer t", all.headers().get("Authorization"));
        assertEquals("c=1", all.headers().get("Cookie"));
        assertEquals("k", all.headers().get("X-Keep"));
        sluice.close();

        start("""
                status = ["500"]
                query = "/respond?body=page"
                errorRequestHeaders = ["x-keep"]
                """);
        get("/respond?status=500", "Authorization", "Bearer t", "Cookie", "c=1", "X-Keep", "k");
        Backend.Seen listed = pages.take();
        assertNull(listed.headers().get("Authorization"));
        assertNull(listed.headers().get("Cookie"));
        assertEquals("k", listed.headers().get("X-Keep"));
        sluice.close();

        start("""
                status = ["500"]
                query = "/respond?body=page"
                errorRequestHeaders = []
                """);
        get("/respond?status=500", "X-Keep", "k");
        assertNull(pages.take().headers().get("X-Keep"), "[] sends none");
    }

    @Test
    void passHostHeaderFalseSendsThePageServersHost() throws Exception {
        start("status = [\"500\"]\nquery = \"/respond?body=page\"", app.url(),
                "passHostHeader = false\nservers = [{url = \"" + pages.url() + "\"}]");
        assertEquals("page", get("/respond?status=500").body());
        assertEquals("127.0.0.1:" + pages.port(), pages.take().headers().get("Host"));
    }

    @Test
    void aDownErrorServiceLeavesTheStatusWithAShortPlainBody() throws Exception {
        try (RefusingPort down = new RefusingPort()) {
            start("status = [\"500-599\"]\nquery = \"/respond?body=page\"", app.url(),
                    "servers = [{url = \"" + down.url() + "\"}]");
            HttpResponse<String> response = get("/respond?status=503&body=upstream-secret");
            assertEquals(503, response.statusCode());
            assertEquals("503 Service Unavailable\n", response.body());
            assertTrue(type(response).startsWith("text/plain"), type(response));
        }
    }

    @Test
    void sluicesOwnErrorsAreCaughtToo() throws Exception {
        // The app refuses connections: the proxy's 502 is replaced by the page.
        try (RefusingPort refusingApp = new RefusingPort()) {
            start("status = [\"502\"]\nquery = \"/respond?type=text/html&body=gateway+page+{status}\"",
                    refusingApp.url(), "servers = [{url = \"" + pages.url() + "\"}]");
            HttpResponse<String> refused = get("/anything");
            assertEquals(502, refused.statusCode());
            assertEquals("gateway page 502", refused.body());
            assertEquals("text/html", type(refused));
        }
    }

    @Test
    void anAnswerWrittenBeforeTheChainReturnsIsCaughtToo() throws Exception {
        // No server to pick (weight 0): Sluice answers 503 at once, without going asynchronous.
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "app"
                middlewares = ["oops"]
                [http.middlewares.oops.errors]
                service = "pages"
                status = ["503"]
                query = "/respond?type=text/html&body=no+server+{status}"
                [http.services.app.loadBalancer]
                servers = [{url = "%s", weight = 0}]
                [http.services.pages.loadBalancer]
                servers = [{url = "%s"}]
                """.formatted(app.url(), pages.url()));
        HttpResponse<String> response = get("/");
        assertEquals(503, response.statusCode());
        assertEquals("no server 503", response.body());
        assertEquals(0, app.received());
    }

    @Test
    void aPageOfTheErrorServiceIsSentWhateverItsOwnStatus() throws Exception {
        start("""
                status = ["500"]
                query = "/respond?status=404&type=text/html&body=custom"
                """);
        HttpResponse<String> response = get("/respond?status=500");
        assertEquals(500, response.statusCode(), "the client gets the caught status, as in Traefik");
        assertEquals("custom", response.body());
        assertFalse(response.headers().firstValue("X-Backend").orElse("").equals("app"));
    }
}
