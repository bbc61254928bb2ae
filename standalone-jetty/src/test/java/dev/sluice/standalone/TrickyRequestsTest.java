package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exact path and header semantics of the standalone jar, table-driven over raw sockets: each row is a
 * request head as a client may send it, the status the client gets, and the request line the backend
 * sees (or "-" when Sluice or Jetty answers without forwarding). The WAR's rows are in
 * {@code WarContract.trickyRequests} (src/it), for what Tomcat and Jetty refuse before Sluice.
 */
class TrickyRequestsTest {
    private static Backend backend;
    private static Backend admin;
    private static Sluice sluice;

    @BeforeAll
    static void start() throws Exception {
        backend = new Backend("tricky");
        admin = new Backend("admin");
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [entryPoints.web.http]
                maxHeaderBytes = 16384
                [http.routers.all]
                rule = "PathPrefix(`/`)"
                service = "s"
                [http.routers.admin]
                rule = "PathPrefix(`/admin`)"
                service = "admin"
                [http.services.s.loadBalancer]
                [[http.services.s.loadBalancer.servers]]
                url = "%s"
                [http.services.admin.loadBalancer]
                [[http.services.admin.loadBalancer.servers]]
                url = "%s"
                """.formatted(backend.url(), admin.url()));
    }

    @AfterAll
    static void stop() throws Exception {
        sluice.close();
        backend.close();
        admin.close();
    }

    @BeforeEach
    void drain() {
        while (backend.poll() != null || admin.poll() != null) {
            // requests of an earlier row
        }
    }

    static Stream<Arguments> rows() {
        String longPath = "/" + "a".repeat(7_000); // within the backend's own 8 KiB (Jetty's default)
        return Stream.of(
                row("plain", "GET /x HTTP/1.1", 200, "s GET /x"),
                row("encoded slash kept", "GET /a%2Fb HTTP/1.1", 200, "s GET /a%2Fb"),
                row("encoded percent kept", "GET /a%25b HTTP/1.1", 200, "s GET /a%25b"),
                row("encoded NUL refused by Jetty", "GET /a%00b HTTP/1.1", 400, "-"),
                row("raw NUL refused by Jetty", "GET /a\u0000b HTTP/1.1", 400, "-"),
                row("path parameters kept", "GET /a;jsessionid=1/b;v=2 HTTP/1.1", 200, "s GET /a;jsessionid=1/b;v=2"),
                row("double slash kept, routed collapsed", "GET //admin//b HTTP/1.1", 200, "admin GET //admin//b"),
                row("dot segments kept, routed resolved", "GET /public/../admin HTTP/1.1", 200, "admin GET /public/../admin"),
                row("encoded dot segments kept, routed resolved", "GET /public/%2e%2e/admin HTTP/1.1", 200,
                        "admin GET /public/%2e%2e/admin"),
                row("encoded slash is no separator for routing", "GET /public%2F..%2Fadmin HTTP/1.1", 200, "s GET /public%2F..%2Fadmin"),
                row("dot segment above the root refused by Jetty", "GET /../x HTTP/1.1", 400, "-"),
                row("unicode, encoded", "GET /caf%C3%A9 HTTP/1.1", 200, "s GET /caf%C3%A9"),
                row("long path", "GET " + longPath + " HTTP/1.1", 200, "s GET " + longPath),
                // 12,000 bytes: over Jetty's default 8 KiB, within maxHeaderBytes; hop-by-hop, so the backend's own limit is not tried.
                row("head within maxHeaderBytes", "GET /h HTTP/1.1\r\nConnection: X-Big\r\nX-Big: " + "c".repeat(12_000), 200, "s GET /h"),
                row("request line over maxHeaderBytes", "GET /" + "b".repeat(20_000) + " HTTP/1.1", 414, "-"),
                row("headers over maxHeaderBytes", "GET /h HTTP/1.1\r\nX-Big: " + "c".repeat(20_000), 431, "-"),
                row("absolute-form target: its host wins", "GET http://other.example/abs?q=1 HTTP/1.1", 200, "s GET /abs?q=1"),
                row("OPTIONS * answered by Sluice", "OPTIONS * HTTP/1.1", 200, "-"),
                row("OPTIONS on a path is proxied", "OPTIONS /o HTTP/1.1", 200, "s OPTIONS /o"),
                row("CONNECT refused", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443", 501, "-"),
                row("underscore header passed", "GET /u HTTP/1.1\r\nX_Under_Score: 1", 200, "s GET /u"),
                row("Expect 100-continue without body", "GET /e HTTP/1.1\r\nExpect: 100-continue", 200, "s GET /e"),
                row("unknown Expect refused by Jetty", "GET /e HTTP/1.1\r\nExpect: teapot", 417, "-"),
                row("HTTP/1.0 without Host", "GET /old HTTP/1.0\r\nNoHost: 1", 200, "s GET /old"),
                row("HTTP/1.1 without Host refused by Jetty", "GET /x HTTP/1.1\r\nNoHost: 1", 400, "-"),
                row("two Hosts refused by Jetty", "GET /x HTTP/1.1\r\nHost: a\r\nHost: b", 400, "-"));
    }

    private static Arguments row(String label, String head, int status, String seen) {
        return Arguments.of(label, head, status, seen);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void behaves(String label, String head, int status, String seen) throws Exception {
        assertEquals(status, exchange(head), label);
        Backend.Seen got = backend.poll();
        String who = "s";
        if (got == null) {
            got = admin.poll();
            who = "admin";
        }
        assertEquals(seen, got == null ? "-" : who + " " + got.method() + " " + got.pathQuery(), label);
    }

    /** Sends {@code head} (a Host added unless it names one or says NoHost), returns the status. */
    private static int exchange(String head) throws IOException {
        StringBuilder request = new StringBuilder(head).append("\r\n");
        if (!head.contains("\r\nHost:") && !head.contains("NoHost")) {
            request.append("Host: 127.0.0.1\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        try (Socket socket = new Socket("127.0.0.1", sluice.port("web"))) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(all);
            String text = all.toString(StandardCharsets.ISO_8859_1);
            return Integer.parseInt(text.substring(9, 12));
        }
    }
}
