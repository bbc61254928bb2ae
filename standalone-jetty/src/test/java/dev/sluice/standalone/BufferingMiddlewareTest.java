package dev.sluice.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The buffering middleware over real sockets: whole bodies both ways, limits, and spilling to disk. */
class BufferingMiddlewareTest extends BackendFixture {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private void start(String options) throws Exception {
        backend = new Backend("b");
        sluice = Sluice.start(Configs.behindMiddleware(backend, "[http.middlewares.m.buffering]\n" + options));
    }

    private static byte[] random(int n) {
        byte[] body = new byte[n];
        new Random(n).nextBytes(body);
        return body;
    }

    private static String sha256(byte[] body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    }

    /** Uploads as a stream of unknown length, so the client sends it chunked. */
    private HttpResponse<String> uploadChunked(byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(sluice.uri("web", "/upload")).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> upload(byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(sluice.uri("web", "/upload")).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(sluice.uri("web", path)).timeout(Duration.ofSeconds(20)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static long spillFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith("sluice-body-")).count();
        }
    }

    @Test
    void chunkedRequestBodyIsForwardedWholeWithAFixedLength() throws Exception {
        start("");
        byte[] body = random(200_000);
        HttpResponse<String> response = uploadChunked(body);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("bytes=200000 sha256=" + sha256(body), response.body());
        Backend.Seen seen = backend.take();
        assertEquals("200000", seen.headers().get("Content-Length"));
        assertNull(seen.headers().get("Transfer-Encoding"));
    }

    @Test
    void requestBodyBeyondMemoryIsSpilledToDiskAndTheFileDeletedAfterwards() throws Exception {
        start("memRequestBodyBytes = 1000\nmemResponseBodyBytes = 1000");
        long before = spillFiles();
        byte[] body = random(3_000_000);
        HttpResponse<String> response = uploadChunked(body);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("bytes=3000000 sha256=" + sha256(body), response.body());
        assertEquals("3000000", backend.take().headers().get("Content-Length"));
        await().atMost(Duration.ofSeconds(10)).until(() -> spillFiles() <= before);
    }

    @Test
    void requestOverTheLimitGets413AndNeverReachesTheUpstream() throws Exception {
        start("maxRequestBodyBytes = 1000");
        HttpResponse<String> declared = upload(random(1001));
        assertEquals(413, declared.statusCode());
        assertEquals("413 Request Entity Too Large\n", declared.body());

        HttpResponse<String> chunked = uploadChunked(random(50_000));
        assertEquals(413, chunked.statusCode());

        HttpResponse<String> fits = upload(random(1000));
        assertEquals(200, fits.statusCode());
        assertTrue(backend.take().pathQuery().startsWith("/upload"));
        assertEquals(0, backend.received(), "only the body that fits went upstream");
    }

    @Test
    void responseIsSentWholeWithItsLength() throws Exception {
        start("");
        HttpResponse<byte[]> response = get("/bytes?n=300000");
        assertEquals(200, response.statusCode());
        assertEquals("300000", response.headers().firstValue("Content-Length").orElse(null), "the upstream streamed it without a length");
        assertArrayEquals(CompressMiddlewareTest.pattern(300_000), response.body());
    }

    @Test
    void responseBeyondMemoryIsSpilledAndStillArrivesIntact() throws Exception {
        start("memResponseBodyBytes = 1000");
        long before = spillFiles();
        HttpResponse<byte[]> response = get("/bytes?n=5000000");
        assertEquals("5000000", response.headers().firstValue("Content-Length").orElse(null));
        assertArrayEquals(CompressMiddlewareTest.pattern(5_000_000), response.body());
        await().atMost(Duration.ofSeconds(10)).until(() -> spillFiles() <= before);
    }

    @Test
    void responseOverTheLimitGets500() throws Exception {
        start("maxResponseBodyBytes = 4000");
        HttpResponse<byte[]> over = get("/bytes?n=4001");
        assertEquals(500, over.statusCode());
        assertEquals("500 Internal Server Error\n", new String(over.body(), StandardCharsets.UTF_8));

        HttpResponse<byte[]> declaredOver = get("/respond?size=5000&type=text/plain");
        assertEquals(500, declaredOver.statusCode());
        assertTrue(declaredOver.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), "the upstream's headers are gone");
        assertEquals("500 Internal Server Error\n", new String(declaredOver.body(), StandardCharsets.UTF_8));

        HttpResponse<byte[]> fits = get("/bytes?n=4000");
        assertEquals(200, fits.statusCode());
        assertEquals(4000, fits.body().length);
    }

    @Test
    void bodilessRequestsAndAnswersPassUnchanged() throws Exception {
        start("");
        HttpResponse<byte[]> noContent = get("/respond?status=204");
        assertEquals(204, noContent.statusCode());
        HttpResponse<byte[]> plain = get("/respond?body=hello&type=text/plain");
        assertEquals("hello", new String(plain.body(), StandardCharsets.UTF_8));
        assertEquals("5", plain.headers().firstValue("Content-Length").orElse(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"c\", \"buf\"", "\"buf\", \"c\""})
    void worksTogetherWithCompressInEitherOrder(String order) throws Exception {
        backend = new Backend("b");
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "s"
                middlewares = [%s]
                [http.middlewares.c.compress]
                [http.middlewares.buf.buffering]
                memRequestBodyBytes = 100
                [http.services.s.loadBalancer]
                [[http.services.s.loadBalancer.servers]]
                url = "%s"
                """.formatted(order, backend.url()));
        byte[] body = random(100_000);
        HttpRequest request = HttpRequest.newBuilder(sluice.uri("web", "/upload")).header("Accept-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        // The upstream's answer is short (under compress's 1024 bytes) and comes with its length: sent as it is.
        assertEquals("bytes=100000 sha256=" + sha256(body), new String(response.body(), StandardCharsets.UTF_8));

        HttpRequest big = HttpRequest.newBuilder(sluice.uri("web", "/bytes?n=200000")).header("Accept-Encoding", "gzip").build();
        HttpResponse<byte[]> compressed = client.send(big, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("gzip", compressed.headers().firstValue("Content-Encoding").orElse(null));
        assertArrayEquals(CompressMiddlewareTest.pattern(200_000), CompressMiddlewareTest.decode("gzip", compressed.body()));
    }
}
