package dev.sluice.proxy.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.config.StaticConfig;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.awaitility.Awaitility;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StaticFilesTest {
    private static final String INDEX = "<!doctype html><title>home</title>";
    private static final String SECRET = "TOP-SECRET-CONTENT-7c1f";
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz";

    @TempDir
    Path base;

    private Path root;
    private Server server;
    private String contextPath = "/";
    private boolean callerStartsAsync;
    /**
     * Lets Jetty pass ambiguous and unsafe URIs through to the servlet, as a laxer container
     * might, so the service's own path checks are what stands between the client and the disk.
     */
    private boolean lenientUris;
    /** Small pools show whether a stalled download holds a thread. */
    private int maxThreads = 200;
    private URI baseUri;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    @BeforeEach
    void files() throws IOException {
        root = Files.createDirectory(base.resolve("www"));
        Files.writeString(base.resolve("secret"), SECRET);
        Files.writeString(root.resolve("index.html"), INDEX);
        Files.writeString(root.resolve("alphabet.txt"), ALPHABET);
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/index.html"), "<p>docs</p>");
        Files.createDirectories(root.resolve("empty"));
        Files.writeString(root.resolve("empty/file.txt"), "x");
        Files.writeString(root.resolve("404.html"), "<h1>not here</h1>");
        Files.writeString(root.resolve("gone.html"), "<h1>gone</h1>");
        Files.writeString(root.resolve("hello world.txt"), "spaced");
        Files.writeString(root.resolve("café.txt"), "accented");
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    /** Jetty 12 ee10 with one async-capable servlet that hands everything to StaticFiles. */
    private void start(StaticConfig config) throws Exception {
        StaticFiles files = new StaticFiles(config);
        boolean startAsync = callerStartsAsync;
        server = new Server(new QueuedThreadPool(maxThreads, Math.min(8, maxThreads)));
        HttpConfiguration http = new HttpConfiguration();
        if (lenientUris) {
            http.setUriCompliance(UriCompliance.UNSAFE);
        }
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath(contextPath);
        ServletHolder holder = new ServletHolder(new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                if (startAsync) {
                    req.startAsync();
                }
                files.serve(req, resp);
            }
        });
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/*");
        context.getServletHandler().setDecodeAmbiguousURIs(lenientUris);
        server.setHandler(context);
        server.start();
        baseUri = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    private StaticConfig config() {
        return new StaticConfig(root.toString(), null, null, null);
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        return send("GET", path, headers);
    }

    private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUri.resolve(path)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        request.method(method, HttpRequest.BodyPublishers.noBody());
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    @Test
    void servesIndexForRoot() throws Exception {
        start(config());
        HttpResponse<String> response = get("/");
        assertEquals(200, response.statusCode());
        assertEquals(INDEX, response.body());
        assertTrue(header(response, "Content-Type").startsWith("text/html"));
        assertTrue(header(response, "Content-Type").toLowerCase(Locale.ROOT).contains("charset=utf-8"));
        assertEquals(String.valueOf(INDEX.length()), header(response, "Content-Length"));
        assertEquals("bytes", header(response, "Accept-Ranges"));
    }

    @ParameterizedTest
    @CsvSource({
        "a.css, text/css", "a.js, text/javascript", "a.mjs, text/javascript", "a.json, application/json",
        "a.svg, image/svg+xml", "a.png, image/png", "a.jpg, image/jpeg", "a.webp, image/webp",
        "a.wasm, application/wasm", "a.woff2, font/woff2", "a.pdf, application/pdf", "a.map, application/json",
        "a.mp4, video/mp4", "a.unknownext, application/octet-stream", "noextension, application/octet-stream"
    })
    void contentTypes(String file, String expected) throws Exception {
        Files.write(root.resolve(file), new byte[] {1, 2, 3});
        start(config());
        HttpResponse<String> response = get("/" + file);
        assertEquals(200, response.statusCode());
        String type = header(response, "Content-Type");
        assertTrue(type.startsWith(expected), type);
        assertEquals(expected.startsWith("text/") || expected.contains("json") || expected.contains("svg"),
                type.toLowerCase(Locale.ROOT).contains("charset=utf-8"), type);
    }

    @Test
    void decodesPercentEncodedUtf8Names() throws Exception {
        start(config());
        assertEquals("spaced", get("/hello%20world.txt").body());
        assertEquals("accented", get("/caf%C3%A9.txt").body());
        int status = get("/caf%E9.txt").statusCode(); // not UTF-8: Jetty or we refuse it
        assertTrue(status == 400 || status == 404, String.valueOf(status));
    }

    @Test
    void etagAndIfNoneMatch() throws Exception {
        start(config());
        HttpResponse<String> first = get("/alphabet.txt");
        String etag = header(first, "ETag");
        assertNotNull(etag);
        assertTrue(etag.matches("\"[0-9a-f]+-[0-9a-f]+\""), etag);

        HttpResponse<String> cached = get("/alphabet.txt", "If-None-Match", "\"other\", " + etag);
        assertEquals(304, cached.statusCode());
        assertEquals("", cached.body());
        assertEquals(etag, header(cached, "ETag"));
        assertNotNull(header(cached, "Last-Modified"));

        assertEquals(304, get("/alphabet.txt", "If-None-Match", "W/" + etag).statusCode()); // weak comparison
        assertEquals(304, get("/alphabet.txt", "If-None-Match", "*").statusCode());
        assertEquals(200, get("/alphabet.txt", "If-None-Match", "\"nope\"").statusCode());
        // If-None-Match takes precedence over If-Modified-Since.
        assertEquals(200, get("/alphabet.txt", "If-None-Match", "\"nope\"",
                "If-Modified-Since", header(first, "Last-Modified")).statusCode());
    }

    @Test
    void lastModifiedAndIfModifiedSince() throws Exception {
        Instant modified = Instant.parse("2024-03-05T10:15:30.250Z");
        Files.setLastModifiedTime(root.resolve("alphabet.txt"), FileTime.from(modified));
        start(config());
        HttpResponse<String> first = get("/alphabet.txt");
        assertEquals("Tue, 05 Mar 2024 10:15:30 GMT", header(first, "Last-Modified"));

        assertEquals(304, get("/alphabet.txt", "If-Modified-Since", "Tue, 05 Mar 2024 10:15:30 GMT").statusCode());
        assertEquals(304, get("/alphabet.txt", "If-Modified-Since", "Wed, 06 Mar 2024 00:00:00 GMT").statusCode());
        assertEquals(304, get("/alphabet.txt", "If-Modified-Since", "Tue Mar  5 10:15:30 2024").statusCode());
        assertEquals(200, get("/alphabet.txt", "If-Modified-Since", "Tue, 05 Mar 2024 10:15:29 GMT").statusCode());
        assertEquals(200, get("/alphabet.txt", "If-Modified-Since", "not a date").statusCode());
        assertEquals(412, get("/alphabet.txt", "If-Unmodified-Since", "Mon, 04 Mar 2024 00:00:00 GMT").statusCode());
        assertEquals(412, get("/alphabet.txt", "If-Match", "\"nope\"").statusCode());
    }

    @Test
    void rangeGives206WithExactBytes() throws Exception {
        start(config());
        HttpResponse<String> response = get("/alphabet.txt", "Range", "bytes=2-5");
        assertEquals(206, response.statusCode());
        assertEquals("cdef", response.body());
        assertEquals("bytes 2-5/26", header(response, "Content-Range"));
        assertEquals("4", header(response, "Content-Length"));

        HttpResponse<String> open = get("/alphabet.txt", "Range", "bytes=20-");
        assertEquals(206, open.statusCode());
        assertEquals("uvwxyz", open.body());
        assertEquals("bytes 20-25/26", header(open, "Content-Range"));

        HttpResponse<String> clamped = get("/alphabet.txt", "Range", "bytes=24-1000");
        assertEquals("yz", clamped.body());
        assertEquals("bytes 24-25/26", header(clamped, "Content-Range"));
    }

    @Test
    void suffixRange() throws Exception {
        start(config());
        HttpResponse<String> response = get("/alphabet.txt", "Range", "bytes=-3");
        assertEquals(206, response.statusCode());
        assertEquals("xyz", response.body());
        assertEquals("bytes 23-25/26", header(response, "Content-Range"));
        assertEquals(ALPHABET, get("/alphabet.txt", "Range", "bytes=-100").body());
    }

    @Test
    void unsatisfiableRangeGives416() throws Exception {
        start(config());
        HttpResponse<String> response = get("/alphabet.txt", "Range", "bytes=26-30");
        assertEquals(416, response.statusCode());
        assertEquals("bytes */26", header(response, "Content-Range"));
        assertEquals(416, get("/alphabet.txt", "Range", "bytes=-0").statusCode());
    }

    @Test
    void multipleOrMalformedRangesServeWholeFile() throws Exception {
        start(config());
        HttpResponse<String> multi = get("/alphabet.txt", "Range", "bytes=0-1,4-5");
        assertEquals(200, multi.statusCode());
        assertEquals(ALPHABET, multi.body());
        assertEquals(200, get("/alphabet.txt", "Range", "bytes=5-2").statusCode());
        assertEquals(200, get("/alphabet.txt", "Range", "items=0-1").statusCode());
    }

    @Test
    void ifRangeMismatchServesWholeFile() throws Exception {
        start(config());
        String etag = header(get("/alphabet.txt"), "ETag");
        String lastModified = header(get("/alphabet.txt"), "Last-Modified");

        HttpResponse<String> stale = get("/alphabet.txt", "Range", "bytes=0-1", "If-Range", "\"stale\"");
        assertEquals(200, stale.statusCode());
        assertEquals(ALPHABET, stale.body());
        assertEquals(200, get("/alphabet.txt", "Range", "bytes=0-1", "If-Range", "Mon, 01 Jan 2001 00:00:00 GMT")
                .statusCode());

        HttpResponse<String> current = get("/alphabet.txt", "Range", "bytes=0-1", "If-Range", etag);
        assertEquals(206, current.statusCode());
        assertEquals("ab", current.body());
        assertEquals(206, get("/alphabet.txt", "Range", "bytes=0-1", "If-Range", lastModified).statusCode());
    }

    @Test
    void headSendsHeadersOnly() throws Exception {
        start(config());
        HttpResponse<String> response = send("HEAD", "/alphabet.txt");
        assertEquals(200, response.statusCode());
        assertEquals("", response.body());
        assertEquals("26", header(response, "Content-Length"));
        assertNotNull(header(response, "ETag"));
        assertTrue(header(response, "Content-Type").startsWith("text/plain"));
    }

    @Test
    void otherMethodsGive405() throws Exception {
        start(config());
        for (String method : List.of("POST", "PUT", "DELETE")) {
            HttpResponse<String> response = send(method, "/alphabet.txt");
            assertEquals(405, response.statusCode(), method);
            assertEquals("GET, HEAD", header(response, "Allow"));
        }
    }

    @Test
    void directoryWithoutSlashRedirects() throws Exception {
        start(config());
        HttpResponse<String> response = get("/docs?x=1&y=2");
        assertEquals(301, response.statusCode());
        URI target = baseUri.resolve("/docs").resolve(header(response, "Location"));
        assertEquals(baseUri.resolve("/docs/?x=1&y=2"), target);

        HttpResponse<String> index = get("/docs/");
        assertEquals(200, index.statusCode());
        assertEquals("<p>docs</p>", index.body());
    }

    @Test
    void neverListsDirectories() throws Exception {
        start(config());
        HttpResponse<String> response = get("/empty/");
        assertEquals(404, response.statusCode());
        assertEquals(StaticFiles.NOT_FOUND_TEXT, response.body());
        assertFalse(response.body().contains("file.txt"));
        assertEquals(404, get("/missing.txt").statusCode());
    }

    @Test
    void spaServesRootIndexForUnknownRoutes() throws Exception {
        start(new StaticConfig(root.toString(), null, true, null));
        HttpResponse<String> response = get("/some/route");
        assertEquals(200, response.statusCode());
        assertEquals(INDEX, response.body());
        assertTrue(header(response, "Content-Type").startsWith("text/html"));
        assertEquals(ALPHABET, get("/alphabet.txt").body()); // real files still win
    }

    @Test
    void spaDoesNotTurnRefusedPathsIntoRoutes() throws Exception {
        lenientUris = true;
        start(new StaticConfig(root.toString(), null, true, null));
        assertTrue(rawGet("/docs/%2e%2e/alphabet.txt").startsWith("HTTP/1.1 404 "));
        assertTrue(rawGet("/a%2Fb").startsWith("HTTP/1.1 404 "));
        assertTrue(rawGet("/some/route").endsWith(INDEX));
    }

    @Test
    void notFoundPageWithDefaultStatus() throws Exception {
        start(new StaticConfig(root.toString(), null, null, new StaticConfig.NotFound("404.html", null)));
        HttpResponse<String> response = get("/nope");
        assertEquals(404, response.statusCode());
        assertEquals("<h1>not here</h1>", response.body());
        assertTrue(header(response, "Content-Type").startsWith("text/html"));
    }

    @Test
    void notFoundPageWithCustomStatus() throws Exception {
        start(new StaticConfig(root.toString(), null, null, new StaticConfig.NotFound("gone.html", 410)));
        HttpResponse<String> response = get("/old/page");
        assertEquals(410, response.statusCode());
        assertEquals("<h1>gone</h1>", response.body());
    }

    @Test
    void symlinksInsideRootAreServedAndThoseLeavingItAreNot() throws Exception {
        try {
            Files.createSymbolicLink(root.resolve("link.txt"), root.resolve("alphabet.txt"));
            Files.createSymbolicLink(root.resolve("linkdir"), root.resolve("docs"));
            Files.createSymbolicLink(root.resolve("escape.txt"), base.resolve("secret"));
            Files.createSymbolicLink(root.resolve("escapedir"), base);
        } catch (UnsupportedOperationException | IOException e) {
            Assumptions.abort("symbolic links not supported here: " + e);
        }
        start(config());
        assertEquals(ALPHABET, get("/link.txt").body());
        assertEquals("<p>docs</p>", get("/linkdir/").body());

        HttpResponse<String> escaped = get("/escape.txt");
        assertEquals(404, escaped.statusCode());
        assertFalse(escaped.body().contains(SECRET));
        assertEquals(404, get("/escapedir/secret").statusCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/../secret", "/%2e%2e/secret", "/%2E%2e/secret", "/a/..%2fsecret", "/..%5csecret",
        "/..;/secret", "/www/../../secret", "/%00index.html", "/docs/%2e%2e/%2e%2e/secret"
    })
    void traversalIsRefused(String path) throws Exception {
        start(config());
        String response = rawGet(path);
        int status = Integer.parseInt(response.substring(9, 12));
        assertTrue(status == 404 || status == 400, response);
        assertFalse(response.contains(SECRET), response);
    }

    /**
     * Even at its laxest Jetty refuses paths whose canonical form leaves the context, and NULs;
     * these are the ones it lets through, so only the service's own checks refuse them.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "/a/..%2fsecret", "/..%5csecret", "/..%2f..%2fsecret", "/..%2F..%2Fsecret", "/caf%E9.txt",
        "/docs/%2e%2e/alphabet.txt", "/docs/%2E%2e/alphabet.txt", "/docs/../alphabet.txt", "/docs/..;/alphabet.txt",
        "/alphabet.txt%2f", "/%2falphabet.txt"
    })
    void traversalIsRefusedByTheServiceItselfWhenTheContainerLetsItThrough(String path) throws Exception {
        lenientUris = true;
        start(config());
        String response = rawGet(path);
        assertTrue(response.startsWith("HTTP/1.1 404 "), response);
        assertTrue(response.endsWith(StaticFiles.NOT_FOUND_TEXT), response);
        assertFalse(response.contains(SECRET), response);
    }

    @Test
    void lenientContainerStillServesOrdinaryPaths() throws Exception {
        lenientUris = true;
        start(config());
        assertTrue(rawGet("/alphabet.txt").endsWith(ALPHABET));
        assertTrue(rawGet("/docs/./index.html").endsWith("<p>docs</p>"));
    }

    @Test
    void largeFileArrivesIntact() throws Exception {
        byte[] content = new byte[5 * 1024 * 1024 + 123];
        new Random(42).nextBytes(content);
        Files.write(root.resolve("big.bin"), content);
        start(config());
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(baseUri.resolve("/big.bin")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertEquals(String.valueOf(content.length), header(response, "Content-Length"));
        assertArrayEquals(sha256(content), sha256(response.body()));

        // A range spanning several chunks, starting mid-chunk.
        HttpResponse<byte[]> part = client.send(HttpRequest.newBuilder(baseUri.resolve("/big.bin"))
                .header("Range", "bytes=40000-200000").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, part.statusCode());
        assertArrayEquals(java.util.Arrays.copyOfRange(content, 40000, 200001), part.body());
    }

    @Test
    void stalledDownloadsDoNotHoldThreads() throws Exception {
        byte[] content = new byte[32 * 1024 * 1024]; // far more than the socket buffers can absorb
        Files.write(root.resolve("huge.bin"), content);
        maxThreads = 12;
        start(config());
        List<Socket> stalled = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 2 * maxThreads; i++) {
                Socket socket = new Socket();
                socket.setReceiveBufferSize(4096);
                socket.connect(new java.net.InetSocketAddress("127.0.0.1", baseUri.getPort()));
                socket.getOutputStream().write("GET /huge.bin HTTP/1.1\r\nHost: x\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                stalled.add(socket); // never read: the server's writes stall
            }
            Path fds = Path.of("/proc/self/fd");
            if (Files.isDirectory(fds)) {
                // Every download under way, each holding its file: with one blocked thread per download
                // the pool would be exhausted now.
                Awaitility.await("all downloads in progress").atMost(Duration.ofSeconds(10))
                        .until(() -> openHandles(fds, "huge.bin") == stalled.size());
            }
            assertEquals(ALPHABET, get("/alphabet.txt").body());
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
        // Aborted downloads must release their files (checked where /proc shows open files).
        Path fds = Path.of("/proc/self/fd");
        if (Files.isDirectory(fds)) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> openHandles(fds, "huge.bin") == 0);
        }
    }

    private static long openHandles(Path fds, String fileName) throws IOException {
        try (var links = Files.list(fds)) {
            return links.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().endsWith(fileName);
                } catch (IOException | UnsupportedOperationException e) {
                    return false; // closed while listing
                }
            }).count();
        }
    }

    @Test
    void worksUnderAContextPath() throws Exception {
        contextPath = "/app";
        start(config());
        assertEquals(INDEX, get("/app/").body());
        assertEquals(ALPHABET, get("/app/alphabet.txt").body());
        HttpResponse<String> redirect = get("/app");
        assertEquals(301, redirect.statusCode());
        assertEquals(baseUri.resolve("/app/"), baseUri.resolve("/app").resolve(header(redirect, "Location")));
    }

    @Test
    void completesAnAsyncContextStartedByTheCaller() throws Exception {
        callerStartsAsync = true;
        start(config());
        assertEquals(ALPHABET, get("/alphabet.txt").body());
        assertEquals(404, get("/missing").statusCode());
        assertEquals(304, get("/alphabet.txt", "If-None-Match", "*").statusCode());
    }

    @Test
    void rejectsUnusableConfiguration() {
        assertThrows(IllegalArgumentException.class,
                () -> new StaticFiles(new StaticConfig(base.resolve("nope").toString(), null, null, null)));
        assertThrows(IllegalArgumentException.class,
                () -> new StaticFiles(new StaticConfig(root.resolve("index.html").toString(), null, null, null)));
        assertThrows(IllegalArgumentException.class, () -> new StaticFiles(
                new StaticConfig(root.toString(), null, null, new StaticConfig.NotFound("../secret", null))));
        assertThrows(IllegalArgumentException.class,
                () -> new StaticFiles(new StaticConfig(root.toString(), List.of("../secret"), null, null)));
    }

    /** A raw request, so no client library normalises the path before it leaves. */
    private String rawGet(String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", baseUri.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            in.transferTo(received);
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    @Nested
    class Parsing {
        @Test
        void byteRanges() {
            assertEquals(new ByteRange(0, 9), ByteRange.parse("bytes=0-9", 100));
            assertEquals(new ByteRange(90, 99), ByteRange.parse("bytes=90-", 100));
            assertEquals(new ByteRange(95, 99), ByteRange.parse("bytes=-5", 100));
            assertEquals(new ByteRange(0, 99), ByteRange.parse("bytes=0-99999999999999999999999", 100));
            assertFalse(ByteRange.parse("bytes=100-", 100).satisfiable());
            assertFalse(ByteRange.parse("bytes=0-", 0).satisfiable());
            assertNull(ByteRange.parse("bytes=0-1,3-4", 100));
            assertNull(ByteRange.parse("bytes=a-b", 100));
            assertNull(ByteRange.parse("bytes=-", 100));
            assertNull(ByteRange.parse(null, 100));
        }

        @Test
        void requestPaths() {
            assertEquals(List.of("a", "b c"), RequestPath.parse("/a//./b%20c").segments());
            assertEquals(List.of("docs"), RequestPath.parse("/docs;jsessionid=1/").segments());
            assertEquals(List.of(), RequestPath.parse("").segments());
            for (String bad : List.of("/..", "/%2E%2E/x", "/a%2Fb", "/a%5Cb", "/a%00", "/%zz", "/%c3", "/a\\b", "x")) {
                assertNull(RequestPath.parse(bad), bad);
            }
        }

        @Test
        void entityTagLists() {
            String etag = "\"1a-2b\"";
            assertTrue(Preconditions.matches("\"x,y\", W/\"1a-2b\"", etag, true));
            assertFalse(Preconditions.matches("W/\"1a-2b\"", etag, false));
            assertFalse(Preconditions.matches("1a-2b", etag, true));
        }

        @Test
        void httpDates() {
            long millis = Instant.parse("1994-11-06T08:49:37Z").toEpochMilli();
            assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpDates.format(millis));
            assertEquals(millis, HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT"));
            assertEquals(millis, HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT"));
            assertEquals(millis, HttpDates.parse("Sun Nov  6 08:49:37 1994"));
            assertEquals(-1, HttpDates.parse("yesterday"));
        }
    }
}
