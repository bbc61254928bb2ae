package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.service.Exchange;
import dev.sluice.proxy.service.Exchange.Outcome;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one end of every exchange: however a request ends (proxied, answered by Sluice, refused by a
 * middleware, failed or timed out upstream, abandoned by its client, delayed by a rate limit), the
 * runtime's observers hear of it exactly once, with the facts metrics and logs need.
 */
class ExchangeLifecycleTest {
    /** What an observer copied from an exchange, during the call (the request is recycled after it). */
    record Ended(String entryPoint, String router, String service, String server, Outcome outcome, int status,
            int originStatus, long bytesIn, long bytesOut, long durationNanos, long firstByteNanos, String path) {}

    private static final BlockingQueue<Ended> ENDED = new LinkedBlockingQueue<>();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static Backend backend;
    private static RawUpstream hanging;
    private static Sluice sluice;

    @BeforeAll
    static void start() throws Exception {
        backend = new Backend("one");
        // Reads the request, then never answers: the response-header timeout ends it.
        hanging = new RawUpstream(socket -> {
            try {
                socket.getInputStream().read();
            } catch (java.net.SocketTimeoutException expected) {
                // the proxy gave up first
            }
        });
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"

                [http.routers.app]
                rule = "PathPrefix(`/app`)"
                service = "app"
                middlewares = ["strip"]
                [http.routers.guarded]
                rule = "PathPrefix(`/guarded`)"
                service = "app"
                middlewares = ["nobody"]
                [http.routers.limited]
                rule = "PathPrefix(`/limited`)"
                service = "app"
                middlewares = ["slowly", "strip"]
                [http.routers.hangs]
                rule = "PathPrefix(`/hangs`)"
                service = "hangs"

                [http.middlewares.strip.stripPrefixRegex]
                regex = ["^/[a-z]+"]
                [http.middlewares.nobody.ipAllowList]
                sourceRange = ["192.0.2.1/32"]
                [http.middlewares.slowly.rateLimit]
                average = 5
                burst = 1

                [http.services.app.loadBalancer]
                [[http.services.app.loadBalancer.servers]]
                url = "%s"
                [http.services.hangs.loadBalancer]
                serversTransport = "impatient"
                [[http.services.hangs.loadBalancer.servers]]
                url = "http://127.0.0.1:%d"
                [http.serversTransports.impatient.forwardingTimeouts]
                responseHeaderTimeout = "300ms"
                """.formatted(backend.url(), hanging.port()));
        sluice.server.runtime().observers().add(ExchangeLifecycleTest::copy);
    }

    private static void copy(Exchange e) {
        ENDED.add(new Ended(e.entryPoint(), e.router(), e.service(), e.server() == null ? null : e.server().url(),
                e.outcome(), e.status(), e.originStatus(), e.bytesIn(), e.bytesOut(), e.durationNanos(), e.firstByteNanos(),
                e.containerRequest().getRequestURI()));
    }

    @AfterAll
    static void stop() throws Exception {
        sluice.close();
        hanging.close();
        backend.close();
    }

    @BeforeEach
    void clear() {
        ENDED.clear();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(sluice.uri("web", path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The one end of the exchange for {@code path}, and no second one. */
    private static Ended endOf(String path) throws Exception {
        Ended ended = ENDED.poll(10, TimeUnit.SECONDS);
        assertTrue(ended != null, "no end observed for " + path);
        assertEquals(path, ended.path());
        return ended;
    }

    private static void noMoreEnds() throws Exception {
        // Every end is observed before the client sees the last byte, except the async completion,
        // which the container runs right after: one more request flushes any straggler out first.
        get("/nothing-here");
        Ended next = ENDED.poll(10, TimeUnit.SECONDS);
        assertEquals("/nothing-here", next == null ? null : next.path(), "an exchange ended twice");
    }

    @Test
    void aProxiedAnswerEndsOnceWithItsFacts() throws Exception {
        HttpResponse<String> response = get("/app/respond?status=201&size=1000");
        assertEquals(201, response.statusCode());

        Ended ended = endOf("/app/respond");
        assertEquals("web", ended.entryPoint());
        assertEquals("app", ended.router());
        assertEquals("app", ended.service());
        assertEquals(backend.url(), ended.server());
        assertEquals(Outcome.PROXIED, ended.outcome());
        assertEquals(201, ended.status());
        assertEquals(201, ended.originStatus());
        assertEquals(1000, ended.bytesOut());
        assertEquals(0, ended.bytesIn());
        assertTrue(ended.firstByteNanos() > 0 && ended.firstByteNanos() <= ended.durationNanos(), ended.toString());
        noMoreEnds();
    }

    @Test
    void bodiesAreCountedBothWaysDeclaredOrChunked() throws Exception {
        byte[] body = new byte[5000];
        HttpResponse<String> declared = CLIENT.send(HttpRequest.newBuilder(sluice.uri("web", "/app/upload"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, declared.statusCode());
        Ended first = endOf("/app/upload");
        assertEquals(5000, first.bytesIn());
        assertEquals(declared.body().length(), first.bytesOut());

        // No length declared: the client streams the body chunked.
        HttpResponse<String> chunked = CLIENT.send(HttpRequest.newBuilder(sluice.uri("web", "/app/upload"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[7777]))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, chunked.statusCode());
        assertTrue(chunked.body().startsWith("bytes=7777"), chunked.body());
        assertEquals(7777, endOf("/app/upload").bytesIn());
        noMoreEnds();
    }

    @Test
    void answersSluiceGivesItselfEndOnce() throws Exception {
        assertEquals(404, get("/nowhere").statusCode());
        Ended unrouted = endOf("/nowhere");
        assertNull(unrouted.router());
        assertEquals(Outcome.ANSWERED, unrouted.outcome());
        assertEquals(404, unrouted.status());
        assertEquals("404 page not found\n".length(), unrouted.bytesOut());

        assertEquals(403, get("/guarded/x").statusCode());
        Ended refused = endOf("/guarded/x");
        assertEquals("guarded", refused.router());
        assertEquals(Outcome.ANSWERED, refused.outcome());
        assertEquals(403, refused.status());
        assertEquals(0, refused.originStatus());
        noMoreEnds();
    }

    @Test
    void anUpstreamThatNeverAnswersEndsAsTimedOut() throws Exception {
        assertEquals(504, get("/hangs").statusCode());
        Ended ended = endOf("/hangs");
        assertEquals(Outcome.TIMED_OUT, ended.outcome());
        assertEquals(504, ended.status());
        assertEquals(0, ended.originStatus());
        noMoreEnds();
    }

    @Test
    void delayedRequestsEndOnceWhenTheirAnswersDo() throws Exception {
        // 5 a second, burst 1: requests 120 ms apart each wait a little for their token, resumed on a
        // timer thread off the dispatch (or are refused when the machine is slow: ended once too).
        int sent = 0;
        int served = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (served < 5 && System.nanoTime() < deadline) {
            HttpResponse<String> response = get("/limited/" + sent);
            sent++;
            served += response.statusCode() == 200 ? 1 : 0;
            Ended ended = endOf("/limited/" + (sent - 1));
            assertEquals(response.statusCode(), ended.status());
            assertEquals(response.statusCode() == 200 ? Outcome.PROXIED : Outcome.ANSWERED, ended.outcome());
            Thread.sleep(120); // the pace under test
        }
        assertEquals(5, served);
        noMoreEnds();
    }

    @Test
    void aClientThatLeavesMidAnswerEndsAsAborted() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", sluice.port("web"))) {
            socket.setSoLinger(true, 0); // closing resets the connection
            OutputStream out = socket.getOutputStream();
            out.write("GET /app/hold HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            in.readNBytes(1024); // the answer started: the backend holds the rest back
        } // closed with unread bytes: a reset, which the proxy meets with the rest of the answer
        backend.release();
        Ended ended = endOf("/app/hold");
        assertEquals(Outcome.CLIENT_ABORTED, ended.outcome());
        assertEquals(200, ended.originStatus());
        noMoreEnds();
    }

    @Test
    void http2RequestsEndOnceToo() throws Exception {
        HttpClient h2c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = h2c.send(HttpRequest.newBuilder(sluice.uri("web", "/app/respond?size=300")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        Ended ended = endOf("/app/respond");
        assertEquals(Outcome.PROXIED, ended.outcome());
        assertEquals(300, ended.bytesOut());
        noMoreEnds();
    }
}
