package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aayushatharva.brotli4j.decoder.BrotliInputStream;
import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The compress middleware over real sockets: what the client receives is decoded and compared with the upstream's body. */
class CompressMiddlewareTest extends BackendFixture {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private void start(String options) throws Exception {
        backend = new Backend("b");
        sluice = Sluice.start(Configs.behindMiddleware(backend, "[http.middlewares.m.compress]\n" + options));
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        return send("GET", path, headers);
    }

    private HttpResponse<byte[]> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(sluice.uri("web", path)).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static InputStream decoder(String coding, InputStream in) throws IOException {
        return switch (coding) {
            case "gzip" -> new GZIPInputStream(in);
            case "br" -> new BrotliInputStream(in);
            case "zstd" -> new ZstdInputStream(in);
            default -> throw new AssertionError("unexpected coding " + coding);
        };
    }

    static byte[] decode(String coding, byte[] body) throws IOException {
        try (InputStream in = decoder(coding, new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    static byte[] pattern(int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Backend.writePattern(out, n);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "br", "zstd"})
    void bigStreamedBodyArrivesIntactInEachCoding(String coding) throws Exception {
        start("");
        HttpResponse<byte[]> response = get("/bytes?n=3000000", "Accept-Encoding", coding);
        assertEquals(200, response.statusCode());
        assertEquals(coding, response.headers().firstValue("Content-Encoding").orElse(null));
        assertEquals("Accept-Encoding", response.headers().firstValue("Vary").orElse(null));
        assertTrue(response.body().length < 3_000_000, "smaller than the original");
        assertArrayEquals(pattern(3_000_000), decode(coding, response.body()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "br", "zstd"})
    void bodyWithContentLengthLosesItWhenCompressed(String coding) throws Exception {
        start("");
        HttpResponse<byte[]> response = get("/respond?size=5000&type=text/plain&header=ETag:%22v1%22&header=Accept-Ranges:bytes",
                "Accept-Encoding", coding);
        assertEquals(coding, response.headers().firstValue("Content-Encoding").orElse(null));
        // The upstream's length (5000) is dropped; the container may state the compressed body's own
        // length when it holds the whole of it at the end (no flush before, as with a declared length).
        response.headers().firstValueAsLong("Content-Length").ifPresent(length ->
                assertEquals(response.body().length, length, "a length, if any, is the compressed body's"));
        assertTrue(response.headers().firstValue("Accept-Ranges").isEmpty(), "ranges of the compressed bytes are not served");
        assertEquals("W/\"v1\"", response.headers().firstValue("ETag").orElse(null));
        assertEquals("x".repeat(5000), new String(decode(coding, response.body()), StandardCharsets.UTF_8));
    }

    @Test
    void http2ClientsGetCompressedStreamsToo() throws Exception {
        start("");
        // Prior knowledge is not what the JDK client does; it upgrades from HTTP/1.1 on the first request.
        HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        for (int i = 0; i < 2; i++) {
            HttpResponse<byte[]> response = h2.send(HttpRequest.newBuilder(sluice.uri("web", "/bytes?n=2000000"))
                    .header("Accept-Encoding", "zstd").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals("zstd", response.headers().firstValue("Content-Encoding").orElse(null));
            assertArrayEquals(pattern(2_000_000), decode("zstd", response.body()));
            if (i == 1) {
                assertEquals(HttpClient.Version.HTTP_2, response.version());
            }
        }
    }

    @Test
    void bodyBelowTheMinimumIsSentAsItIsWithItsLength() throws Exception {
        start("");
        HttpResponse<byte[]> response = get("/respond?size=1023&type=text/plain&header=ETag:%22v1%22", "Accept-Encoding", "gzip");
        assertTrue(response.headers().firstValue("Content-Encoding").isEmpty());
        assertEquals("1023", response.headers().firstValue("Content-Length").orElse(null));
        assertEquals("\"v1\"", response.headers().firstValue("ETag").orElse(null));
        assertEquals("Accept-Encoding", response.headers().firstValue("Vary").orElse(null));
        assertEquals(1023, response.body().length);

        HttpResponse<byte[]> atMinimum = get("/respond?size=1024&type=text/plain", "Accept-Encoding", "gzip");
        assertEquals("gzip", atMinimum.headers().firstValue("Content-Encoding").orElse(null));
    }

    @Test
    void minimumIsConfigurable() throws Exception {
        start("minResponseBodyBytes = 100");
        assertEquals("gzip", get("/respond?size=100", "Accept-Encoding", "gzip").headers().firstValue("Content-Encoding").orElse(null));
        assertTrue(get("/respond?size=99", "Accept-Encoding", "gzip").headers().firstValue("Content-Encoding").isEmpty());
    }

    @Test
    void missingContentTypeIsSniffedBeforeTheTypeFiltersApply() throws Exception {
        start("excludedContentTypes = [\"text/html\"]");
        HttpResponse<byte[]> text = get("/respond?size=5000", "Accept-Encoding", "gzip");
        assertEquals("gzip", text.headers().firstValue("Content-Encoding").orElse(null));
        assertEquals("text/plain; charset=utf-8", text.headers().firstValue("Content-Type").orElse("").replace(";charset", "; charset"));
        String page = "<!DOCTYPE html><p>" + "x".repeat(2000);
        HttpResponse<byte[]> html = get("/respond?body=" + java.net.URLEncoder.encode(page, StandardCharsets.UTF_8), "Accept-Encoding", "gzip");
        assertTrue(html.headers().firstValue("Content-Encoding").isEmpty(), "sniffed as text/html, which is excluded");
        assertTrue(html.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertEquals(page, new String(html.body(), StandardCharsets.UTF_8));
    }

    @Test
    void alreadyEncodedGrpcHeadAndBodilessAnswersAreLeftAlone() throws Exception {
        start("");
        HttpResponse<byte[]> encoded = get("/respond?size=5000&header=Content-Encoding:deflate", "Accept-Encoding", "gzip");
        assertEquals("deflate", encoded.headers().firstValue("Content-Encoding").orElse(null));
        assertEquals(5000, encoded.body().length);

        HttpResponse<byte[]> grpc = get("/respond?size=5000&type=application/grpc", "Accept-Encoding", "gzip");
        assertTrue(grpc.headers().firstValue("Content-Encoding").isEmpty());
        assertEquals(5000, grpc.body().length);

        HttpResponse<byte[]> head = send("HEAD", "/respond?size=5000&type=text/plain", "Accept-Encoding", "gzip");
        assertTrue(head.headers().firstValue("Content-Encoding").isEmpty());
        assertEquals("5000", head.headers().firstValue("Content-Length").orElse(null));

        HttpResponse<byte[]> noContent = get("/respond?status=204", "Accept-Encoding", "gzip");
        assertEquals(204, noContent.statusCode());
        assertTrue(noContent.headers().firstValue("Content-Encoding").isEmpty());
    }

    @Test
    void excludedTypesAreNotCompressed() throws Exception {
        start("excludedContentTypes = [\"image/png\", \"text/csv; charset=utf-8\"]");
        assertTrue(get("/respond?size=5000&type=image/png", "Accept-Encoding", "gzip").headers().firstValue("Content-Encoding").isEmpty());
        assertTrue(get("/respond?size=5000&type=text/csv;%20charset=utf-8", "Accept-Encoding", "gzip")
                .headers().firstValue("Content-Encoding").isEmpty());
        assertEquals("gzip", get("/respond?size=5000&type=text/csv", "Accept-Encoding", "gzip")
                .headers().firstValue("Content-Encoding").orElse(null), "parameters listed must all match");
        assertEquals("gzip", get("/respond?size=5000&type=text/html", "Accept-Encoding", "gzip")
                .headers().firstValue("Content-Encoding").orElse(null));
    }

    @Test
    void onlyIncludedTypesAreCompressed() throws Exception {
        start("includedContentTypes = [\"application/json\"]");
        assertEquals("gzip", get("/respond?size=5000&type=application/json;%20charset=utf-8", "Accept-Encoding", "gzip")
                .headers().firstValue("Content-Encoding").orElse(null));
        assertTrue(get("/respond?size=5000&type=text/html", "Accept-Encoding", "gzip").headers().firstValue("Content-Encoding").isEmpty());
    }

    @Test
    void negotiationFollowsQValuesThenServerPreference() throws Exception {
        start("");
        String[][] table = {
            // Accept-Encoding, expected coding ("" = none)
            {"gzip", "gzip"},
            {"gzip, br, zstd", "gzip"},
            {"zstd, br", "br"},
            {"gzip;q=0.5, zstd", "zstd"},
            {"gzip;q=0, br;q=0", ""},
            {"*", "gzip"},
            {"gzip;q=0, *", "br"},
            {"identity", ""},
            {"identity, gzip;q=0.5", ""},
            {"deflate", ""},
            {"", ""},
        };
        for (String[] row : table) {
            HttpResponse<byte[]> response = get("/respond?size=5000&type=text/plain", "Accept-Encoding", row[0]);
            assertEquals(row[1], response.headers().firstValue("Content-Encoding").orElse(""), "Accept-Encoding: " + row[0]);
            if (!row[1].isEmpty()) {
                assertEquals("x".repeat(5000), new String(decode(row[1], response.body()), StandardCharsets.UTF_8));
            }
        }
        HttpResponse<byte[]> none = get("/respond?size=5000&type=text/plain");
        assertTrue(none.headers().firstValue("Content-Encoding").isEmpty(), "no Accept-Encoding and no defaultEncoding");
    }

    @Test
    void defaultEncodingAppliesWithoutAcceptEncodingAndToTheWildcard() throws Exception {
        start("encodings = [\"zstd\", \"gzip\"]\ndefaultEncoding = \"gzip\"");
        assertEquals("gzip", get("/respond?size=5000").headers().firstValue("Content-Encoding").orElse(null));
        assertEquals("gzip", get("/respond?size=5000", "Accept-Encoding", "*").headers().firstValue("Content-Encoding").orElse(null));
        assertEquals("zstd", get("/respond?size=5000", "Accept-Encoding", "gzip, zstd").headers().firstValue("Content-Encoding").orElse(null));
        assertEquals("", get("/respond?size=5000", "Accept-Encoding", "br").headers().firstValue("Content-Encoding").orElse(""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "br", "zstd"})
    void serverSentEventsReachTheClientOneByOneWhileCompressed(String coding) throws Exception {
        start("");
        HttpRequest request = HttpRequest.newBuilder(sluice.uri("web", "/sse")).header("Accept-Encoding", coding)
                .timeout(Duration.ofSeconds(20)).build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(coding, response.headers().firstValue("Content-Encoding").orElse(null));
        try (InputStream body = response.body()) {
            InputStream in = decoder(coding, body);
            if (in instanceof BrotliInputStream brotli) {
                brotli.enableEagerOutput();
            }
            ServerSentEvents.readAll(in, backend); // each event must come out of the encoder before the next is sent
        }
    }

    @Test
    void staticFilesWrittenAsynchronouslyAreCompressedWhole(@TempDir Path root) throws Exception {
        byte[] big = pattern(700_000);
        Files.write(root.resolve("big.bin"), big);
        Files.writeString(root.resolve("small.txt"), "tiny");
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "site"
                middlewares = ["c"]
                [http.middlewares.c.compress]
                [http.services.site.static]
                root = "%s"
                """.formatted(root.toString().replace("\\", "/")));
        for (String coding : List.of("gzip", "br", "zstd")) {
            HttpResponse<byte[]> response = get("/big.bin", "Accept-Encoding", coding);
            assertEquals(200, response.statusCode());
            assertEquals(coding, response.headers().firstValue("Content-Encoding").orElse(null));
            assertArrayEquals(big, decode(coding, response.body()), coding);
        }
        HttpResponse<byte[]> missing = get("/missing.txt", "Accept-Encoding", "gzip"); // written blocking, not async
        assertEquals(404, missing.statusCode());
        assertTrue(missing.headers().firstValue("Content-Encoding").isEmpty());
        assertEquals("404 page not found", new String(missing.body(), StandardCharsets.UTF_8));
        HttpResponse<byte[]> small = get("/small.txt", "Accept-Encoding", "gzip");
        assertTrue(small.headers().firstValue("Content-Encoding").isEmpty());
        assertEquals("4", small.headers().firstValue("Content-Length").orElse(null));
        assertEquals("tiny", new String(small.body(), StandardCharsets.UTF_8));
    }

    @Test
    void upstreamDyingMidBodyIsNoCleanCompressedEnd() throws Exception {
        start("");
        // The upstream drops the connection after 64 KiB: the client must not get a well-formed, shorter body.
        assertThrows(IOException.class, () -> decode("gzip", get("/die", "Accept-Encoding", "gzip").body()));
        HttpResponse<byte[]> after = get("/bytes?n=100000", "Accept-Encoding", "gzip");
        assertArrayEquals(pattern(100_000), decode("gzip", after.body()), "the next exchange is unaffected");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "br", "zstd"})
    void clientLeavingMidBodyLeavesTheProxyHealthy(String coding) throws Exception {
        start("");
        for (int i = 0; i < 3; i++) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", sluice.port("web"))) {
                socket.getOutputStream().write(("GET /bytes?n=50000000 HTTP/1.1\r\nHost: x\r\nAccept-Encoding: " + coding
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                socket.getInputStream().readNBytes(20_000); // then hang up in the middle
            }
        }
        HttpResponse<byte[]> after = get("/bytes?n=100000", "Accept-Encoding", coding);
        assertArrayEquals(pattern(100_000), decode(coding, after.body()));
    }

    @Test
    void smallChunkedBodyIsCompressedAsAStream() throws Exception {
        start("");
        HttpResponse<byte[]> response = get("/respond?body=hello%20world&chunks=2&gapMs=10&type=text/plain", "Accept-Encoding", "gzip");
        // A streamed answer is flushed as it comes, so it is compressed before its size is known (as Traefik does).
        assertEquals("gzip", response.headers().firstValue("Content-Encoding").orElse(null));
        assertEquals("hello world", new String(decode("gzip", response.body()), StandardCharsets.UTF_8));
        assertNull(response.headers().firstValue("Content-Length").orElse(null));
    }
}
