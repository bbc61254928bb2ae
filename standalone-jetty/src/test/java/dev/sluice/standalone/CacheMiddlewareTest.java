package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code cache} middleware over real sockets: what is stored, for how long, and that a hit never reaches the upstream. */
class CacheMiddlewareTest {
    private static final String FRESH = "&header=Cache-Control:max-age=60";
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Backend app;
    private Sluice sluice;

    @BeforeEach
    void backend() throws Exception {
        app = new Backend("app");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {sluice, app}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    /** Sluice with router r → service app behind middleware c, whose options are {@code cache}. */
    private void start(String cache) throws Exception {
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "app"
                middlewares = ["c"]
                [http.middlewares.c.cache]
                %s
                [http.services.app.loadBalancer]
                servers = [{url = "%s"}]
                """.formatted(cache, app.url()));
    }

    private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(sluice.uri("web", path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        return send("GET", path, headers);
    }

    private static String cacheStatus(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache-Status").orElse("(none)");
    }

    /** GETs {@code path} once per expected status and checks each X-Cache-Status and body. */
    private void expect(String path, String body, String... statuses) throws Exception {
        for (String status : statuses) {
            HttpResponse<String> response = get(path);
            assertEquals(200, response.statusCode());
            assertEquals(body, response.body());
            assertEquals(status, cacheStatus(response), path);
        }
    }

    @Test
    void aFreshAnswerIsServedFromTheCacheWithoutTouchingTheUpstream() throws Exception {
        start("");
        String path = "/respond?type=text/plain&body=hello&header=X-Extra:1" + FRESH;
        HttpResponse<String> miss = get(path);
        assertEquals("MISS", cacheStatus(miss));
        assertEquals("hello", miss.body());
        HttpResponse<String> hit = get(path);
        assertEquals("HIT", cacheStatus(hit));
        assertEquals("hello", hit.body());
        assertEquals("text/plain", hit.headers().firstValue("Content-Type").orElse(null));
        assertEquals("1", hit.headers().firstValue("X-Extra").orElse(null));
        assertEquals("max-age=60", hit.headers().firstValue("Cache-Control").orElse(null));
        assertTrue(hit.headers().firstValue("Age").isPresent(), "Age on hits");
        assertEquals(1, app.received(), "the hit never reached the upstream");

        HttpResponse<String> head = send("HEAD", path);
        assertEquals("HIT", cacheStatus(head));
        assertEquals("5", head.headers().firstValue("Content-Length").orElse(null));
        assertEquals("", head.body());
        assertEquals(1, app.received());
    }

    @Test
    void anEntryExpiresAfterMaxAge() throws Exception {
        start("");
        String path = "/respond?body=short&header=Cache-Control:max-age=1";
        expect(path, "short", "MISS", "HIT");
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> cacheStatus(get(path)).equals("EXPIRED"));
        assertEquals(2, app.received(), "fetched again once stale");
        expect(path, "short", "HIT");
    }

    @Test
    void maxTtlCapsWhatTheUpstreamGrants() throws Exception {
        start("maxTtl = \"1s\"");
        String path = "/respond?body=capped" + FRESH;
        expect(path, "capped", "MISS", "HIT");
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> cacheStatus(get(path)).equals("EXPIRED"));
    }

    @Test
    void expiresAndSharedMaxAgeCountAsFreshness() throws Exception {
        start("");
        String expires = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusMinutes(5));
        String path = "/respond?body=dated&header=Expires:" + java.net.URLEncoder.encode(expires, java.nio.charset.StandardCharsets.UTF_8);
        expect(path, "dated", "MISS", "HIT");
        expect("/respond?body=shared&header=Cache-Control:max-age=0,s-maxage=60", "shared", "MISS", "HIT");
    }

    @Test
    void answersTheUpstreamDoesNotMarkFreshAreNeverStored() throws Exception {
        start("");
        for (String header : new String[] {"", "&header=Cache-Control:no-store,max-age=60", "&header=Cache-Control:private,max-age=60",
                "&header=Cache-Control:no-cache,max-age=60", "&header=Cache-Control:max-age=0", "&header=Vary:*" + FRESH,
                "&header=Set-Cookie:a=b" + FRESH}) {
            app.forget();
            expect("/respond?body=x" + header, "x", "MISS", "MISS");
            assertEquals(2, app.received(), header);
        }
        app.forget();
        HttpResponse<String> error = get("/respond?status=500&body=boom" + FRESH);
        assertEquals(500, error.statusCode());
        assertEquals("MISS", cacheStatus(get("/respond?status=500&body=boom" + FRESH)), "a 500 is not cacheable");
        assertEquals(2, app.received());
    }

    @Test
    void notFoundIsCacheableWhenMarkedFresh() throws Exception {
        start("");
        String path = "/respond?status=404&body=gone" + FRESH;
        assertEquals("MISS", cacheStatus(get(path)));
        HttpResponse<String> hit = get(path);
        assertEquals(404, hit.statusCode());
        assertEquals("HIT", cacheStatus(hit));
        assertEquals("gone", hit.body());
    }

    @Test
    void varyKeepsOneEntryPerVariant() throws Exception {
        start("");
        String path = "/respond?body=v&header=Vary:Accept-Language" + FRESH;
        assertEquals("MISS", cacheStatus(get(path, "Accept-Language", "en")));
        assertEquals("MISS", cacheStatus(get(path, "Accept-Language", "fr")));
        assertEquals("HIT", cacheStatus(get(path, "Accept-Language", "en")));
        assertEquals("HIT", cacheStatus(get(path, "Accept-Language", "fr")));
        assertEquals("MISS", cacheStatus(get(path, "Accept-Language", "de")));
        assertEquals(3, app.received());
        assertEquals("de", lastSeenHeader("Accept-Language"));
    }

    private String lastSeenHeader(String name) throws Exception {
        Backend.Seen last = null;
        for (int i = app.received(); i > 0; i--) {
            last = app.take();
        }
        return last.headers().get(name);
    }

    @Test
    void configuredHeadersAndNamespaceArePartOfTheKey() throws Exception {
        start("headers = [\"X-Tenant\"]\nnamespace = \"ns\"");
        String path = "/respond?body=t" + FRESH;
        assertEquals("MISS", cacheStatus(get(path, "X-Tenant", "a")));
        assertEquals("MISS", cacheStatus(get(path, "X-Tenant", "b")));
        assertEquals("HIT", cacheStatus(get(path, "X-Tenant", "a")));
        assertEquals(2, app.received());
    }

    @Test
    void otherMethodsRangesAndSkippedPathsBypassTheCache() throws Exception {
        start("skip = \"^/respond\\\\?nocache\"");
        String path = "/respond?body=p" + FRESH;
        HttpResponse<String> post = send("POST", path);
        assertEquals("BYPASS", cacheStatus(post));
        assertEquals("BYPASS", cacheStatus(send("POST", path)));
        assertEquals(2, app.received(), "POST always goes upstream");
        assertEquals("BYPASS", cacheStatus(get(path, "Range", "bytes=0-0")));
        expect("/respond?nocache&body=s" + FRESH, "s", "BYPASS", "BYPASS");
        assertEquals(5, app.received());
    }

    @Test
    void authorizedRequestsAreStoredOnlyWhenTheUpstreamSaysPublic() throws Exception {
        start("");
        assertEquals("MISS", cacheStatus(get("/respond?body=a" + FRESH, "Authorization", "Bearer x")));
        assertEquals("MISS", cacheStatus(get("/respond?body=a" + FRESH, "Authorization", "Bearer x")));
        String shared = "/respond?body=b&header=Cache-Control:public,max-age=60";
        assertEquals("MISS", cacheStatus(get(shared, "Authorization", "Bearer x")));
        assertEquals("HIT", cacheStatus(get(shared, "Authorization", "Bearer x")));
    }

    @Test
    void purgeFromAnAllowedAddressRemovesTheEntryAndNeverReachesTheUpstream() throws Exception {
        start("purgeIpList = [\"127.0.0.0/8\"]");
        String path = "/respond?body=p&header=Vary:Accept" + FRESH;
        expect(path, "p", "MISS", "HIT");
        HttpResponse<String> purge = send("PURGE", path);
        assertEquals(204, purge.statusCode());
        assertEquals(1, app.received(), "PURGE is answered by Sluice");
        expect(path, "p", "MISS", "HIT");
    }

    @Test
    void purgeFromAnyoneElseIsForbidden() throws Exception {
        start("purgeIpList = [\"10.0.0.0/8\"]");
        String path = "/respond?body=p" + FRESH;
        expect(path, "p", "MISS");
        HttpResponse<String> purge = send("PURGE", path);
        assertEquals(403, purge.statusCode());
        assertEquals("403 Forbidden\n", purge.body());
        expect(path, "p", "HIT");
        assertEquals(1, app.received());
        sluice.close();
        start("");
        assertEquals(403, send("PURGE", path).statusCode(), "no purgeIpList: nobody may purge");
        assertEquals(1, app.received());
    }

    @Test
    void concurrentMissesOfOneKeySendOneRequestUpstream() throws Exception {
        start("lock = \"10s\"");
        String path = "/respond?body=stampede&chunks=2&gapMs=600" + FRESH;
        CompletableFuture<HttpResponse<String>> first = client.sendAsync(request(path), HttpResponse.BodyHandlers.ofString());
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> app.received() == 1);
        List<CompletableFuture<HttpResponse<String>>> others = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            others.add(client.sendAsync(request(path), HttpResponse.BodyHandlers.ofString()));
        }
        assertEquals("MISS", cacheStatus(first.get()));
        assertEquals("stampede", first.get().body());
        for (CompletableFuture<HttpResponse<String>> other : others) {
            assertEquals("stampede", other.get().body());
            assertEquals("HIT", cacheStatus(other.get()));
        }
        assertEquals(1, app.received(), "one request upstream for seven clients");
    }

    @Test
    void aWaiterGoesUpstreamItselfAfterTheLock() throws Exception {
        start("lock = \"200ms\"");
        String path = "/respond?body=slow&chunks=2&gapMs=2000" + FRESH;
        CompletableFuture<HttpResponse<String>> first = client.sendAsync(request(path), HttpResponse.BodyHandlers.ofString());
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> app.received() == 1);
        CompletableFuture<HttpResponse<String>> second = client.sendAsync(request(path), HttpResponse.BodyHandlers.ofString());
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> app.received() == 2);
        assertEquals("slow", second.get().body());
        assertEquals("MISS", cacheStatus(second.get()));
        assertEquals("slow", first.get().body());
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(sluice.uri("web", path)).timeout(Duration.ofSeconds(20)).build();
    }

    @Test
    void aMissStreamsToTheClientWhileItIsCaptured() throws Exception {
        start("");
        // /hold sends 64 KiB, then waits for release(): the client must get them before the end.
        HttpResponse<java.io.InputStream> response = client.send(request("/hold"), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals("MISS", cacheStatus(response));
        try (java.io.InputStream body = response.body()) {
            assertEquals(64 * 1024, body.readNBytes(64 * 1024).length, "the first part arrived while the upstream held the rest");
            app.release();
            assertEquals(64 * 1024, body.readAllBytes().length);
        }
    }

    @Test
    void answersBiggerThanMaxEntrySizeStreamThroughUnstored() throws Exception {
        start("maxEntrySize = \"1kb\"");
        String big = "/respond?size=5000&chunks=5" + FRESH;
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> response = get(big);
            assertEquals(5000, response.body().length());
            assertEquals("MISS", cacheStatus(response));
        }
        expect("/respond?body=small" + FRESH, "small", "MISS", "HIT");
        assertEquals(3, app.received());
    }

    @Test
    void memoryIsBoundedByMaxSize() throws Exception {
        start("maxSize = \"1kb\"\nmaxEntrySize = \"1kb\"");
        assertEquals(1, hitsAfterFillingTwoEntries(null), "two 600-byte bodies do not fit in 1 kB");
    }

    @Test
    void theDiskTierKeepsWhatMemoryEvictedAndSurvivesARestart(@TempDir Path directory) throws Exception {
        String options = "maxSize = \"1kb\"\nmaxEntrySize = \"1kb\"\ndirectory = \"" + directory.toString().replace("\\", "\\\\") + "\"";
        start(options);
        assertEquals(2, hitsAfterFillingTwoEntries(directory), "the evicted entry came back from disk");
        // The key holds the Host, which holds Sluice's port: a fixed Host finds the entry after a restart.
        String path = "/respond?body=kept" + FRESH;
        assertTrue(rawGet(path).contains("X-Cache-Status: MISS"));
        awaitEntriesOnDisk(directory, 3); // the file is written off the request thread
        sluice.close();
        start(options);
        app.forget();
        String again = rawGet(path);
        assertTrue(again.startsWith("HTTP/1.1 200") && again.contains("X-Cache-Status: HIT") && again.endsWith("kept"), again);
        assertEquals(0, app.received(), "served from disk after a restart");
    }

    /** A GET with {@code Host: cache.test} over a raw socket; the whole answer as text. */
    private String rawGet(String path) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", sluice.port("web"))) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: cache.test\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** Entry files are written off the request thread, to a temporary name moved into place when whole. */
    private static void awaitEntriesOnDisk(Path directory, int entries) {
        org.awaitility.Awaitility.await("" + entries + " entries in " + directory).atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(20)).until(() -> {
                    try (var files = java.nio.file.Files.walk(directory)) {
                        return files.filter(java.nio.file.Files::isRegularFile).filter(f -> !f.toString().endsWith(".tmp")).count() >= entries;
                    }
                });
    }

    /**
     * Stores two 600-byte entries, then asks for both again; returns how many were hits. With a disk
     * tier in {@code directory}, waits until both entries are on disk first.
     */
    private int hitsAfterFillingTwoEntries(Path directory) throws Exception {
        String a = "/respond?size=600&n=a" + FRESH;
        String b = "/respond?size=600&n=b" + FRESH;
        assertEquals("MISS", cacheStatus(get(a)));
        assertEquals("MISS", cacheStatus(get(b)));
        if (directory != null) {
            awaitEntriesOnDisk(directory, 2);
        }
        int hits = 0;
        for (String path : new String[] {a, b}) {
            HttpResponse<String> response = get(path);
            assertEquals(600, response.body().length());
            hits += cacheStatus(response).equals("HIT") ? 1 : 0;
        }
        return hits;
    }
}
