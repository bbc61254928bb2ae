package dev.sluice.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.RefusingPort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Upstream faults, one fake upstream each ({@link FaultyUpstream}, a raw socket that misbehaves on
 * purpose), all behind one Sluice: for each, the client gets the documented status (502 refused,
 * reset or malformed; 504 timed out) or, once the answer has started, a connection cut so that a
 * truncated body cannot pass for a whole one; another route keeps answering meanwhile; exactly one
 * WARN line per failed request names router, service, server, status and cause; and nothing leaks
 * ({@link ResourceCensus}: threads, file descriptors, upstream connections, pooled buffers).
 *
 * <p>Each case adds a row to {@code target/upstream-faults.md}, the figures of
 * {@code src/it/RELIABILITY.md}'s "Faults (upstream)" table.
 */
class UpstreamFaultsTest {
    private static final String[] TRANSPORTS = {"default", "impatient"};
    private static final int TIMEOUT_MS = 10_000;
    /** A body cut after this much of its 1 MiB: enough that the proxy has started the answer (committed it). */
    private static final int PARTIAL = 256 * 1024;
    private static final String PARTIAL_HEAD = "HTTP/1.1 200 OK\r\nContent-Length: " + (1 << 20) + "\r\n\r\n";
    private static final List<String> ROWS = new ArrayList<>();
    /** The table's order. */
    private static final List<String> CASES = List.of("refused", "reset-before-headers", "reset-mid-body", "hang-before-headers",
            "hang-mid-body", "bad-status", "bad-header", "longer", "shorter", "interim-flood", "keep-alive", "dns", "plain-tls",
            "never-reads");
    /** What clients saw in the running case, for its row. */
    private static final Set<String> OBSERVED = ConcurrentHashMap.newKeySet();
    /** Runs the faulty exchange while the test thread asks the healthy route; named out of the census. */
    private static final ExecutorService CLIENTS = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, ResourceCensus.TEST_THREADS + "client");
        thread.setDaemon(true);
        return thread;
    });

    private static final List<AutoCloseable> upstreams = new ArrayList<>();
    private static Backend ok;
    private static Sluice sluice;
    private static RefusingPort refusing;
    private static FaultyUpstream resetBeforeHeaders, resetMidBody, hangBeforeHeaders, hangMidBody, badStatus, badHeader, longer,
            shorter, interimFlood, keepAlive, plainTls, neverReads;

    @BeforeAll
    static void start() throws Exception {
        ok = new Backend("ok");
        refusing = new RefusingPort();
        resetBeforeHeaders = upstream(c -> {
            c.readHead();
            c.reset();
        });
        resetMidBody = upstream(c -> {
            c.readHead();
            c.write(PARTIAL_HEAD + "x".repeat(PARTIAL));
            c.reset();
        });
        hangBeforeHeaders = upstream(c -> {
            c.readHead();
            c.hang();
        });
        hangMidBody = upstream(c -> {
            c.readHead();
            c.write(PARTIAL_HEAD + "x".repeat(PARTIAL));
            c.hang();
        });
        badStatus = upstream(c -> {
            c.readHead();
            c.write("HTTP/1.1 2x0 Fine\r\nContent-Length: 2\r\n\r\nok");
        });
        badHeader = upstream(c -> {
            c.readHead();
            c.write("HTTP/1.1 200 OK\r\nNo colon in this header\r\nContent-Length: 2\r\n\r\nok");
        });
        longer = upstream(c -> {
            // Every answer has bytes beyond its Content-Length; keep-alive, so a proxy that kept the
            // connection would read them as the next answer.
            while (c.readHead() != null) {
                c.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello" + "HTTP/1.1 666 Smuggled\r\nContent-Length: 0\r\n\r\n");
            }
        });
        shorter = upstream(c -> {
            c.readHead();
            c.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
        });
        interimFlood = upstream(c -> {
            c.readHead();
            String hint = "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n";
            StringBuilder flood = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                flood.append(hint);
            }
            // 10,000 interim answers, then nothing: only the header timeout can end it.
            for (int i = 0; i < 100; i++) {
                c.write(flood.toString());
            }
            c.hang();
        });
        keepAlive = upstream(c -> {
            // Answers the first request of each connection, keeps it open, reads the next request and
            // closes without a word: what a proxy sees when the server closes an idle connection just as
            // the proxy reuses it.
            if (c.readHead() == null) {
                return;
            }
            c.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            c.readHead();
        });
        plainTls = upstream(c -> c.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
        neverReads = upstream(FaultyUpstream.Conn::hang);
        sluice = Sluice.start(config());
        for (int i = 0; i < 3; i++) {
            // Warm up both transports (a client starts its scheduler's thread at its first timeout).
            assertEquals(200, RawReply.send(sluice.port("web"), "GET", "/ok", -1, TIMEOUT_MS).status());
            assertEquals(200, RawReply.send(sluice.port("web"), "GET", "/ok-impatient", -1, TIMEOUT_MS).status());
        }
    }

    private static FaultyUpstream upstream(FaultyUpstream.Script script) throws IOException {
        FaultyUpstream upstream = new FaultyUpstream(script);
        upstreams.add(upstream);
        return upstream;
    }

    private static String config() {
        StringBuilder toml = new StringBuilder("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.serversTransports.impatient.forwardingTimeouts]
                responseHeaderTimeout = "500ms"
                idleConnTimeout = "1s"
                """);
        route(toml, "ok", ok.url(), "default");
        route(toml, "ok-impatient", ok.url(), "impatient");
        route(toml, "refused", refusing.url(), "default");
        route(toml, "reset-before-headers", resetBeforeHeaders.url(), "default");
        route(toml, "reset-mid-body", resetMidBody.url(), "default");
        route(toml, "hang-before-headers", hangBeforeHeaders.url(), "impatient");
        route(toml, "hang-mid-body", hangMidBody.url(), "impatient");
        route(toml, "bad-status", badStatus.url(), "default");
        route(toml, "bad-header", badHeader.url(), "default");
        route(toml, "longer", longer.url(), "default");
        route(toml, "shorter", shorter.url(), "default");
        route(toml, "interim-flood", interimFlood.url(), "impatient");
        route(toml, "keep-alive", keepAlive.url(), "default");
        route(toml, "dns", "http://sluice-fault-test.invalid:80", "default");
        route(toml, "plain-tls", "https://127.0.0.1:" + plainTls.port(), "default");
        route(toml, "never-reads", neverReads.url(), "impatient");
        return toml.toString();
    }

    private static void route(StringBuilder toml, String name, String url, String transport) {
        toml.append("""
                [http.routers.%1$s]
                rule = "Path(`/%1$s`)"
                service = "%1$s"
                [http.services.%1$s.loadBalancer]
                serversTransport = "%3$s"
                servers = [{url = "%2$s"}]
                """.formatted(name, url, transport));
    }

    @AfterAll
    static void stop() throws Exception {
        CLIENTS.shutdownNow();
        if (sluice != null) {
            sluice.close();
        }
        for (AutoCloseable upstream : upstreams) {
            upstream.close();
        }
        if (refusing != null) {
            refusing.close();
        }
        if (ok != null) {
            ok.close();
        }
        Path table = Path.of("target", "upstream-faults.md");
        Files.createDirectories(table.getParent());
        Files.writeString(table, "| case | expected | observed | requests | failed | leaked (threads, fds, connections, buffers) |\n"
                + "| --- | --- | --- | --- | --- | --- |\n" + String.join("\n", ROWS.stream().sorted(java.util.Comparator.comparingInt(
                        row -> CASES.indexOf(row.substring(2, row.indexOf(" |", 2))))).toList()) + "\n");
    }

    @Test
    void refusedGives502() throws Exception {
        fault("refused", "502", 3, 3, path -> assertStatus(502, get(path)));
    }

    @Test
    void resetBeforeTheHeadersGives502() throws Exception {
        fault("reset-before-headers", "502", 3, 3, path -> assertStatus(502, get(path)));
    }

    @Test
    void resetMidBodyCutsTheClient() throws Exception {
        fault("reset-mid-body", "200 then the connection cut (256 KiB of 1 MiB sent)", 3, 3, path -> assertCut(get(path)));
    }

    @Test
    void hangBeforeTheHeadersGives504AfterTheHeaderTimeout() throws Exception {
        fault("hang-before-headers", "504 after responseHeaderTimeout (500ms)", 3, 3, path -> {
            long start = System.nanoTime();
            assertStatus(504, get(path));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3), "the header timeout ended it");
        });
    }

    @Test
    void hangMidBodyCutsTheClientAfterTheIdleTimeout() throws Exception {
        fault("hang-mid-body", "200 then cut after idleConnTimeout (1s), 256 KiB of 1 MiB sent", 3, 3, path -> {
            long start = System.nanoTime();
            assertCut(get(path));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4), "the idle timeout ended it");
        });
    }

    @Test
    void malformedStatusLineGives502() throws Exception {
        fault("bad-status", "502", 3, 3, path -> assertStatus(502, get(path)));
    }

    @Test
    void malformedHeaderGives502() throws Exception {
        fault("bad-header", "502", 3, 3, path -> assertStatus(502, get(path)));
    }

    @Test
    void bytesBeyondContentLengthAreDroppedNotReadAsTheNextAnswer() throws Exception {
        fault("longer", "200 with the declared 5 bytes; the extra bytes never reach a later request", 5, 0, path -> {
            RawReply reply = get(path);
            assertStatus(200, reply);
            assertEquals("hello", reply.body());
        });
    }

    @Test
    void fewerBytesThanContentLengthGives502OrACut() throws Exception {
        // 10 of 100 bytes, then the upstream closes: a 502 while the proxy has committed nothing, else a cut.
        fault("shorter", "502, or 200 then cut if the 10 bytes were already on their way", 3, 3, path -> {
            RawReply reply = get(path);
            note(reply);
            if (reply.status() != 502) {
                assertCut(reply);
            }
        });
    }

    @Test
    void aFloodOfInterimAnswersGives502() throws Exception {
        fault("interim-flood", "502 after 10 interim answers (10,000 sent), not forwarded as final answers", 2, 2,
                path -> assertStatus(502, get(path)));
    }

    @Test
    void aKeepAliveConnectionClosedAsItIsReusedIsRetriedForGetNeverForPost() throws Exception {
        fault("keep-alive", "each round GET, GET, POST: a GET on the closed connection is retried once on a fresh one (200); "
                + "the POST gets 502 and is sent once", 3, 3, 3, path -> {
            int before = keepAlive.requestLines().size();
            assertStatus(200, get(path)); // on a new connection, or the retry of a reused one
            assertStatus(200, get(path));
            RawReply post = RawReply.send(sluice.port("web"), "POST", path, 5, TIMEOUT_MS);
            assertStatus(502, post);
            List<String> lines = keepAlive.requestLines();
            List<String> sent = lines.subList(before, lines.size());
            assertEquals(1, sent.stream().filter(line -> line.startsWith("POST")).count(), "a POST is never retried: " + sent);
            assertTrue(sent.stream().filter(line -> line.startsWith("GET")).count() <= 4, "each GET sent twice at most: " + sent);
        });
    }

    @Test
    void unresolvableHostGives502() throws Exception {
        fault("dns", "502", 3, 3, path -> assertStatus(502, get(path)));
    }

    @Test
    void tlsHandshakeWithAPlainServerGives502() throws Exception {
        fault("plain-tls", "502", 3, 3, path -> assertStatus(502, get(path)));
    }

    @Test
    void anUpstreamThatNeverReadsAnUploadTimesOut() throws Exception {
        fault("never-reads", "502/504 once the upload stalls, no thread blocked", 2, 2, path -> {
            long start = System.nanoTime();
            RawReply reply = RawReply.send(sluice.port("web"), "POST", path, 16L << 20, TIMEOUT_MS);
            note(reply);
            assertTrue(reply.status() == 502 || reply.status() == 504 || reply.ending() != RawReply.Ending.TIMED_OUT,
                    "an error or a clean close, not a hang: " + reply);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(6), "a timeout ended it");
        });
    }

    interface Exchange {
        void run(String path) throws Exception;
    }

    /**
     * Runs {@code exchange} {@code rounds} times on {@code /name} (each sends {@code requestsPerRound}
     * requests), each while the {@code ok} route is asked too, then checks the log lines and the census,
     * and adds the case's row.
     */
    private void fault(String name, String expected, int rounds, int expectedWarnings, Exchange exchange) throws Exception {
        fault(name, expected, rounds, 1, expectedWarnings, exchange);
    }

    private void fault(String name, String expected, int rounds, int requestsPerRound, int expectedWarnings, Exchange exchange)
            throws Exception {
        ResourceCensus before = ResourceCensus.of(sluice, TRANSPORTS);
        List<String> warnings;
        List<String> others;
        OBSERVED.clear();
        try (LogCapture logs = new LogCapture()) {
            for (int i = 0; i < rounds; i++) {
                CompletableFuture<Void> faulty = CompletableFuture.runAsync(() -> {
                    try {
                        exchange.run("/" + name);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, CLIENTS);
                long start = System.nanoTime();
                RawReply other = get("/ok");
                assertEquals(200, other.status(), () -> "the other route: " + other);
                assertEquals("ok", other.body());
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "the other route was slowed down");
                faulty.get(30, TimeUnit.SECONDS);
            }
            // A line is written when the exchange ends, which may come just after the client saw it.
            await().pollInSameThread().atMost(Duration.ofSeconds(5)).until(() -> logs.lines("router " + name + " ").size() >= expectedWarnings);
            warnings = logs.lines("router " + name + " ");
            others = logs.lines(":WARN :").stream().filter(line -> !line.contains("router " + name + " ")).toList();
            others = new ArrayList<>(others);
            others.addAll(logs.lines(":ERROR:"));
        }
        assertEquals(expectedWarnings, warnings.size(), "one WARN line per failed request: " + warnings);
        assertEquals(List.of(), others, "no other warning");
        for (String line : warnings) {
            assertTrue(line.contains("WARN") && line.contains("service " + name), line);
        }
        ResourceCensus[] after = new ResourceCensus[1];
        try {
            await().pollInSameThread().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> (after[0] = ResourceCensus.of(sluice, TRANSPORTS)).nothingLeakedSince(before));
        } finally {
            ResourceCensus last = after[0] != null ? after[0] : ResourceCensus.of(sluice, TRANSPORTS);
            ROWS.add("| %s | %s | %s | %d | %d | %s |".formatted(name, expected,
                    String.join(", ", new java.util.TreeSet<>(OBSERVED)) + (warnings.isEmpty() ? "; no warning"
                            : "; log: `" + shorten(warnings.get(0)) + "`"),
                    rounds * requestsPerRound, expectedWarnings, last.delta(before)));
            System.out.println("fault " + name + ": " + last.delta(before));
        }
    }

    private static String shorten(String line) {
        int at = line.indexOf("router ");
        // Ports and timer readings change from run to run; the table should not.
        return (at >= 0 ? line.substring(at) : line).replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:PORT")
                .replaceAll("expired: \\d+/", "expired: N/").replace("|", "\\|");
    }

    private static RawReply get(String path) throws IOException {
        return RawReply.send(sluice.port("web"), "GET", path, -1, TIMEOUT_MS);
    }

    /** Notes what the client saw, for the case's row. */
    private static void note(RawReply reply) {
        OBSERVED.add(reply.status() < 0 ? "no answer (" + reply.ending() + ")"
                : reply.truncated() ? reply.status() + " cut after " + reply.body().length() + " of " + reply.header("Content-Length") + " bytes"
                : reply.status() + (reply.status() == 200 ? " with " + reply.body().length() + " bytes" : ""));
    }

    private static void assertStatus(int status, RawReply reply) {
        note(reply);
        assertEquals(status, reply.status(), () -> "got " + reply);
        if (status >= 500) {
            assertTrue(reply.body().startsWith(String.valueOf(status)) && reply.body().length() < 64, "short plain body: " + reply);
        }
    }

    /** The answer had started: the client must be able to tell its body is incomplete. */
    private static void assertCut(RawReply reply) {
        note(reply);
        assertEquals(200, reply.status(), () -> "got " + reply);
        assertTrue(reply.truncated(), () -> "a truncated body must not look whole: " + reply.head() + " + " + reply.body().length() + " bytes");
        assertTrue(reply.ending() != RawReply.Ending.TIMED_OUT, "the connection is closed, not left hanging");
    }
}
