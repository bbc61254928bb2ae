package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.HostileWire;
import dev.sluice.proxy.testing.SmugglingRows;
import dev.sluice.proxy.testing.SmugglingRows.Row;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile HTTP/1 input against the jar's entry point, over raw sockets, one row per attack: request
 * smuggling (CL+TE, TE+CL, duplicate lengths, obfuscated Transfer-Encoding, bare LF, obs-fold, bad
 * chunk sizes), oversized heads, odd request targets and versions, NUL bytes, and path traversal
 * against the static service. For each row: the expected status (or a clean close), the connection
 * closed afterwards whenever the framing was in doubt, the backend never sees a request for
 * {@code /smuggled} (every row hides one behind its first request), and the next client is served.
 * The rows are the downstream half of src/it/RELIABILITY.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileRequestTest {
    private static final String SMUGGLED = SmugglingRows.SMUGGLED;
    private static final String SECRET = "top-secret-7f3a";

    private final HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Backend backend;
    private Sluice sluice;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        Path site = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(site.resolve("index.html"), "index");
        Files.writeString(tmp.resolve("secret.txt"), SECRET);
        Files.writeString(site.resolve("..%2fsecret.txt"), "decoy"); // a file literally named so must not help either
        backend = new Backend("up");
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [entryPoints.files]
                address = "127.0.0.1:0"
                [http.routers.r]
                entryPoints = ["web"]
                rule = "PathPrefix(`/`)"
                service = "s"
                [http.routers.f]
                entryPoints = ["files"]
                rule = "PathPrefix(`/`)"
                service = "site"
                [http.services.s.loadBalancer]
                servers = [{url = "%s"}]
                [http.services.site.static]
                root = "%s"
                """.formatted(backend.url(), site.toString().replace("\\", "\\\\")));
    }

    @AfterAll
    void stop() throws Exception {
        if (sluice != null) {
            sluice.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @AfterEach
    void nextClientIsServedAndNothingWasSmuggled() throws Exception {
        HttpResponse<String> next = jdk.send(HttpRequest.newBuilder(sluice.uri("web", "/next")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, next.statusCode());
        assertEquals("up", next.body());
        List<Backend.Seen> seen = new ArrayList<>();
        for (int i = backend.received(); i > 0; i--) {
            seen.add(backend.take());
        }
        assertEquals("/next", seen.get(seen.size() - 1).pathQuery());
        for (Backend.Seen s : seen) {
            assertFalse(s.pathQuery().contains("smuggled"), "the backend saw a smuggled request: " + s);
            assertFalse(s.headers().contains("Content-Length") && s.headers().contains("Transfer-Encoding"),
                    "the backend got both framings: " + s.headers());
        }
    }

    static Stream<Row> smuggling() {
        return SmugglingRows.rows();
    }

    static Stream<Row> malformed() {
        String headers10k = "X-H: v\r\n".repeat(10_000);
        return Stream.of(
                new Row("request line 70 KiB", "GET /" + "a".repeat(70_000) + " HTTP/1.1\r\nHost: x\r\n\r\n" + SMUGGLED, Set.of(414), true),
                new Row("one header 20 KiB", "GET /first HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n" + SMUGGLED, Set.of(431), true),
                new Row("10,000 headers", "GET /first HTTP/1.1\r\nHost: x\r\n" + headers10k + "\r\n" + SMUGGLED, Set.of(431), true),
                new Row("method with a bad character", "G(T /first HTTP/1.1\r\nHost: x\r\n\r\n" + SMUGGLED, Set.of(400), true),
                // Methods are case-sensitive tokens: "get" is an extension method, forwarded as Traefik does.
                new Row("method lower case", "get /first HTTP/1.1\r\nHost: x\r\n\r\n", Set.of(200), false),
                new Row("extension method", "FOO /first HTTP/1.1\r\nHost: x\r\n\r\n", Set.of(200), false),
                new Row("absolute-form target", "GET http://x/first HTTP/1.1\r\nHost: x\r\n\r\n", Set.of(200), false),
                // RFC 9112 3.2.2: the target's authority replaces Host, as Go and Traefik do (TrickyRequestsTest checks what goes up).
                new Row("absolute-form, other host", "GET http://other.example/first HTTP/1.1\r\nHost: x\r\n\r\n", Set.of(200), false),
                new Row("authority-form on GET", "GET 127.0.0.1:80 HTTP/1.1\r\nHost: x\r\n\r\n" + SMUGGLED, Set.of(400), true),
                // Well framed, so the connection may go on (Sluice's own 400, as for an unknown path's 404).
                new Row("asterisk-form on GET", "GET * HTTP/1.1\r\nHost: x\r\n\r\n", Set.of(400), false),
                // What follows a CONNECT is tunnel data: never read as a request, so the connection closes.
                new Row("CONNECT", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n" + SMUGGLED, Set.of(501), true),
                new Row("CONNECT, origin-form", "CONNECT /first HTTP/1.1\r\nHost: x\r\n\r\n" + SMUGGLED, Set.of(400, 501), true),
                new Row("HTTP/0.9", "GET /first\r\n\r\n" + SMUGGLED, Set.of(505), true),
                new Row("HTTP/1.2", "GET /first HTTP/1.2\r\nHost: x\r\n\r\n" + SMUGGLED, Set.of(505), true),
                new Row("HTTP/2.0 in an HTTP/1 request line", "GET /first HTTP/2.0\r\nHost: x\r\n\r\n" + SMUGGLED, Set.of(426), true),
                new Row("junk after the version", "GET /first HTTP/1.1 junk\r\nHost: x\r\n\r\n" + SMUGGLED, Set.of(400, 505), true),
                new Row("no Host on HTTP/1.1", "GET /first HTTP/1.1\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("Host twice", "GET /first HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("invalid percent-encoding", "GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("truncated percent-encoding", "GET /a% HTTP/1.1\r\nHost: x\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("encoded NUL in the path", "GET /a%00b HTTP/1.1\r\nHost: x\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("raw NUL in the path", "GET /a\u0000b HTTP/1.1\r\nHost: x\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("NUL in a header value", "GET /first HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("NUL in a header name", "GET /first HTTP/1.1\r\nHost: x\r\nX\u0000A: a\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("control character in the path", "GET /a\u0001b HTTP/1.1\r\nHost: x\r\n\r\n" + SMUGGLED, Set.of(400), true));
    }

    /** Climbing out of the static service's root, every spelling: never the secret next to it. */
    static Stream<String> traversal() {
        return Stream.of("/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/..%2fsecret.txt", "/..%2Fsecret.txt",
                "/%2e%2e%2fsecret.txt", "/..%5csecret.txt", "/..\\secret.txt", "/%252e%252e/secret.txt", "/..;/secret.txt",
                "/%c0%ae%c0%ae/secret.txt", "/./../secret.txt", "//../secret.txt", "/a/../../secret.txt", "/.%2e/secret.txt",
                "/..%00/secret.txt", "http://x/../secret.txt");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smuggling")
    void smugglingAttemptsAreRefusedAndSmuggleNothing(Row row) throws Exception {
        assertRow(row);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedHeadsGetTheirStatusAndAClose(Row row) throws Exception {
        assertRow(row);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("traversal")
    void pathTraversalNeverLeavesTheStaticRoot(String target) throws Exception {
        HostileWire answer = HostileWire.send(sluice.port("files"), "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n", true, 5000);
        assertFalse(answer.text().contains(SECRET), target + " -> " + answer);
        assertFalse(answer.text().contains("decoy"), target + " -> " + answer);
        assertTrue(Set.of(400, 404).contains(answer.first()), target + " -> " + answer);
    }

    private void assertRow(Row row) throws Exception {
        HostileWire answer = HostileWire.send(sluice.port("web"), row.request(), !row.mustClose(), 5000);
        assertTrue(row.statuses().contains(answer.first()), row.name() + " -> " + answer);
        if (row.mustClose()) {
            assertTrue(answer.closed(), row.name() + ": the server closes the connection -> " + answer);
            assertEquals(answer.first() == 0 ? 0 : 1, answer.statuses().size(), row.name() + ": one answer, then the close -> " + answer);
        }
    }
}
