package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traefik's {@code headers} middleware over real sockets: custom request headers as the upstream
 * sees them, custom and security response headers as the client sees them (over the upstream's
 * own, on empty bodies, on Sluice's 404 and 502, on a stream), and the allowed-hosts check.
 * CORS is in {@link HeadersCorsTest}.
 */
class HeadersMiddlewareTest extends BackendFixture {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    @TempDir
    Path site;

    /**
     * Sluice with the headers middleware {@code h} (the given option lines) on every router: {@code /}
     * goes to the backend, {@code /dead} to a closed port, {@code /site} to a static directory.
     */
    static String config(String options, String backendUrl, Path site) {
        return """
                [entryPoints.web]
                address = "127.0.0.1:0"
                [entryPoints.web.forwardedHeaders]
                insecure = true
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "s"
                middlewares = ["h"]
                [http.routers.dead]
                rule = "PathPrefix(`/dead`)"
                service = "dead"
                middlewares = ["h"]
                [http.routers.site]
                rule = "PathPrefix(`/site`)"
                service = "site"
                middlewares = ["h"]
                [http.middlewares.h.headers]
                %s
                [http.services.s.loadBalancer]
                [[http.services.s.loadBalancer.servers]]
                url = "%s"
                [http.services.dead.loadBalancer]
                [[http.services.dead.loadBalancer.servers]]
                url = "http://127.0.0.1:1"
                [http.services.site.static]
                root = "%s"
                """.formatted(options, backendUrl, site.toString().replace("\\", "/"));
    }

    private void start(String options) throws Exception {
        backend = new Backend("up");
        sluice = Sluice.start(config(options, backend.url(), site));
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(sluice.uri("web", path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void customRequestHeadersAreSetReplacedAndRemovedBeforeTheUpstream() throws Exception {
        start("customRequestHeaders = { X-Script-Name = \"test\", X-Client = \"replaced\", X-Secret = \"\" }");
        assertEquals(200, get("/", "X-Client", "original", "X-Secret", "s3cr3t", "X-Other", "kept").statusCode());
        Backend.Seen seen = backend.take();
        assertEquals("test", seen.headers().get("X-Script-Name"));
        assertEquals(List.of("replaced"), seen.headers().getValuesList("X-Client"));
        assertNull(seen.headers().get("X-Secret"));
        assertEquals("kept", seen.headers().get("X-Other"));
    }

    @Test
    void customRequestHostHeaderIsTheHostTheUpstreamGets() throws Exception {
        start("customRequestHeaders = { Host = \"internal.example\" }");
        get("/");
        assertEquals("internal.example", backend.take().headers().get("Host"));
    }

    @Test
    void customResponseHeadersOverwriteAndRemoveWhatTheUpstreamSends() throws Exception {
        start("customResponseHeaders = { X-Custom = \"value\", X-Upstream = \"ours\", X-Powered-By = \"\", Content-Type = \"text/x-mine\" }");
        HttpResponse<String> response = get("/respond?body=hello&type=text/plain&header=X-Upstream:theirs"
                + "&header=X-Powered-By:php&header=X-Untouched:same");
        assertEquals(200, response.statusCode());
        assertEquals("hello", response.body());
        assertEquals(List.of("value"), response.headers().allValues("X-Custom"));
        assertEquals(List.of("ours"), response.headers().allValues("X-Upstream"));
        assertTrue(response.headers().firstValue("X-Powered-By").isEmpty());
        assertEquals("same", response.headers().firstValue("X-Untouched").orElse(""));
        assertEquals(List.of("text/x-mine"), response.headers().allValues("Content-Type"));
    }

    @Test
    void responseHeadersAlsoApplyToEmptyBodiesAndSluicesOwnAnswers() throws Exception {
        start("customResponseHeaders = { X-Custom = \"value\", X-Backend = \"\" }\nframeDeny = true");
        HttpResponse<String> noContent = get("/respond?status=204&header=X-Backend:up");
        assertEquals(204, noContent.statusCode());
        assertEquals("value", noContent.headers().firstValue("X-Custom").orElse(""));
        assertEquals("DENY", noContent.headers().firstValue("X-Frame-Options").orElse(""));
        assertTrue(noContent.headers().firstValue("X-Backend").isEmpty());

        HttpResponse<String> head = client.send(HttpRequest.newBuilder(sluice.uri("web", "/respond?body=abc"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("value", head.headers().firstValue("X-Custom").orElse(""));

        HttpResponse<String> badGateway = get("/dead");
        assertEquals(502, badGateway.statusCode());
        assertEquals("value", badGateway.headers().firstValue("X-Custom").orElse(""));
        assertEquals("DENY", badGateway.headers().firstValue("X-Frame-Options").orElse(""));

        HttpResponse<String> notFound = get("/site/missing.html");
        assertEquals(404, notFound.statusCode());
        assertEquals("value", notFound.headers().firstValue("X-Custom").orElse(""));

        Files.createDirectories(site.resolve("site"));
        Files.writeString(site.resolve("site/page.html"), "<p>hi</p>");
        HttpResponse<String> file = get("/site/page.html");
        assertEquals(200, file.statusCode());
        assertEquals("<p>hi</p>", file.body());
        assertEquals("value", file.headers().firstValue("X-Custom").orElse(""));
    }

    @Test
    void responseHeadersSurviveAFailoverReplayThatResetsTheResponse() throws Exception {
        backend = new Backend("main");
        try (Backend fallback = new Backend("fallback")) {
            sluice = Sluice.start("""
                    [entryPoints.web]
                    address = "127.0.0.1:0"
                    [http.routers.r]
                    rule = "PathPrefix(`/`)"
                    service = "f"
                    middlewares = ["h"]
                    [http.middlewares.h.headers]
                    frameDeny = true
                    customResponseHeaders = { X-Custom = "value" }
                    [http.services.f.failover]
                    service = "main"
                    fallback = "fb"
                    errors = { status = ["500"] }
                    [http.services.main.loadBalancer]
                    servers = [{ url = "%s" }]
                    [http.services.fb.loadBalancer]
                    servers = [{ url = "%s" }]
                    """.formatted(backend.url(), fallback.url()));
            backend.failNext(1);
            HttpResponse<String> response = get("/");
            assertEquals(200, response.statusCode());
            assertEquals("fallback", response.body());
            assertEquals(List.of("value"), response.headers().allValues("X-Custom"));
            assertEquals(List.of("DENY"), response.headers().allValues("X-Frame-Options"));
            assertEquals(List.of("fallback"), response.headers().allValues("X-Backend"));
        }
    }

    @Test
    void securityHeadersReplaceTheUpstreamsAndFollowTheirOptions() throws Exception {
        start("""
                frameDeny = true
                contentTypeNosniff = true
                browserXssFilter = true
                contentSecurityPolicy = "default-src 'self'"
                contentSecurityPolicyReportOnly = "script-src 'none'"
                referrerPolicy = "no-referrer"
                permissionsPolicy = "camera=()"
                stsSeconds = 31536000
                publicKey = "pin-sha256=\\"base64==\\"; max-age=60"
                """);
        HttpResponse<String> response = get("/respond?body=x&header=X-Frame-Options:SAMEORIGIN&header=Referrer-Policy:unsafe-url");
        assertEquals(List.of("DENY"), response.headers().allValues("X-Frame-Options"));
        assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals("1; mode=block", response.headers().firstValue("X-XSS-Protection").orElse(""));
        assertEquals("default-src 'self'", response.headers().firstValue("Content-Security-Policy").orElse(""));
        assertEquals("script-src 'none'", response.headers().firstValue("Content-Security-Policy-Report-Only").orElse(""));
        assertEquals(List.of("no-referrer"), response.headers().allValues("Referrer-Policy"));
        assertEquals("camera=()", response.headers().firstValue("Permissions-Policy").orElse(""));
        // Plain HTTP: no HSTS and no HPKP unless forced (HPKP never is).
        assertTrue(response.headers().firstValue("Strict-Transport-Security").isEmpty());
        assertTrue(response.headers().firstValue("Public-Key-Pins").isEmpty());
    }

    @Test
    void customValuesWinOverFrameDenyAndXssFilter() throws Exception {
        start("""
                frameDeny = true
                customFrameOptionsValue = "SAMEORIGIN"
                browserXssFilter = true
                customBrowserXSSValue = "0"
                """);
        HttpResponse<String> response = get("/");
        assertEquals("SAMEORIGIN", response.headers().firstValue("X-Frame-Options").orElse(""));
        assertEquals("0", response.headers().firstValue("X-XSS-Protection").orElse(""));
    }

    @Test
    void customResponseHeadersWinOverSecurityHeaders() throws Exception {
        start("frameDeny = true\ncustomResponseHeaders = { X-Frame-Options = \"\" }");
        assertTrue(get("/").headers().firstValue("X-Frame-Options").isEmpty());
    }

    @Test
    void stsGoesOutOverHttpsProxiesOrWhenForced() throws Exception {
        start("""
                stsSeconds = 315360000
                stsIncludeSubdomains = true
                stsPreload = true
                sslProxyHeaders = { X-Forwarded-Proto = "https" }
                publicKey = "pin-sha256=\\"abc\\""
                """);
        assertTrue(get("/").headers().firstValue("Strict-Transport-Security").isEmpty());
        HttpResponse<String> viaTls = get("/", "X-Forwarded-Proto", "https");
        assertEquals("max-age=315360000; includeSubDomains; preload",
                viaTls.headers().firstValue("Strict-Transport-Security").orElse(""));
        assertEquals("pin-sha256=\"abc\"", viaTls.headers().firstValue("Public-Key-Pins").orElse(""));
        sluice.close();
        backend.close();

        start("stsSeconds = 60\nforceSTSHeader = true");
        assertEquals("max-age=60", get("/").headers().firstValue("Strict-Transport-Security").orElse(""));
        sluice.close();
        backend.close();

        start("stsSeconds = 60\nforceSTSHeader = true\nisDevelopment = true");
        assertTrue(get("/").headers().firstValue("Strict-Transport-Security").isEmpty());
    }

    @Test
    void allowedHostsRefuseOtherHostsWithTraefiksBadHost() throws Exception {
        start("allowedHosts = [\"app.example\", \"API.example:8443\"]\ncustomResponseHeaders = { X-Custom = \"value\" }\nframeDeny = true");
        int port = sluice.port("web");
        RawHttp allowed = RawHttp.exchange(port, "GET", "/", "Host: app.example");
        assertEquals(200, allowed.status());
        assertEquals("DENY", allowed.header("X-Frame-Options"));
        assertEquals(200, RawHttp.exchange(port, "GET", "/", "Host: api.example:8443").status());
        assertEquals(2, backend.received());

        RawHttp refused = RawHttp.exchange(port, "GET", "/", "Host: evil.example");
        // unrolled/secure answers 500 (its default bad-host handler), as Traefik's own tests expect.
        assertEquals(500, refused.status());
        assertEquals("Bad Host\n", refused.body());
        assertEquals("text/plain;charset=utf-8", refused.header("Content-Type").replace(" ", ""));
        assertEquals("nosniff", refused.header("X-Content-Type-Options"));
        assertEquals("value", refused.header("X-Custom"), "the custom part still applies");
        assertNull(refused.header("X-Frame-Options"), "the security part stopped the request");
        assertEquals(2, backend.received(), "a refused host never reaches the upstream");
    }

    @Test
    void hostsProxyHeadersAndIsDevelopmentChangeTheHostCheck() throws Exception {
        start("allowedHosts = [\"app.example\"]\nhostsProxyHeaders = [\"X-Forwarded-Host\"]");
        int port = sluice.port("web");
        assertEquals(200, RawHttp.exchange(port, "GET", "/", "Host: internal:8080", "X-Forwarded-Host: app.example").status());
        assertEquals(500, RawHttp.exchange(port, "GET", "/", "Host: app.example", "X-Forwarded-Host: evil.example").status());
        sluice.close();
        backend.close();

        start("allowedHosts = [\"app.example\"]\nisDevelopment = true");
        assertEquals(200, RawHttp.exchange(sluice.port("web"), "GET", "/", "Host: localhost").status());
    }

    @Test
    void serverSentEventsStillStreamEventByEvent() throws Exception {
        start("customResponseHeaders = { X-Custom = \"value\" }\nframeDeny = true");
        HttpResponse<java.io.InputStream> events = client.send(
                HttpRequest.newBuilder(sluice.uri("web", "/sse")).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals("text/event-stream", events.headers().firstValue("Content-Type").orElse(""));
        assertEquals("value", events.headers().firstValue("X-Custom").orElse(""));
        try (var body = events.body()) {
            ServerSentEvents.readAll(body, backend); // held back, an event would wait for the next, which waits for it
        }
    }

    @Test
    void nothingIsAddedThatWasNotAskedFor() throws Exception {
        start("customRequestHeaders = { X-Only = \"this\" }");
        HttpResponse<String> response = get("/respond?body=x&header=X-Frame-Options:SAMEORIGIN");
        for (String name : List.of("Strict-Transport-Security", "X-Content-Type-Options", "X-XSS-Protection",
                "Content-Security-Policy", "Referrer-Policy", "Permissions-Policy", "Access-Control-Allow-Origin", "Vary")) {
            assertFalse(response.headers().firstValue(name).isPresent(), name + " added by default");
        }
        assertEquals("SAMEORIGIN", response.headers().firstValue("X-Frame-Options").orElse(""));
    }
}
