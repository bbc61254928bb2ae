package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The retry middleware over real sockets: tries go again through the proxy servlet, like failover replays. */
class RetryMiddlewareTest extends TrafficHarness {

    @Test
    void aDeadServerIsRetriedOnTheLiveOne() throws Exception {
        Backend live = backend("live");
        start("\"retry\"", """
                [http.middlewares.retry.retry]
                attempts = 2
                """ + service(deadUrl(), live.url()));
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> response = get("/x?i=" + i);
            assertEquals(200, response.statusCode(), response::body);
            assertEquals("live", response.body());
        }
        assertEquals(6, live.received());
    }

    @Test
    void theProxysOwn502CountsAsAStatus() throws Exception {
        Backend live = backend("live");
        start("\"retry\"", """
                [http.middlewares.retry.retry]
                attempts = 2
                disableRetryOnNetworkError = true
                status = ["502"]
                """ + service(deadUrl(), live.url()));
        for (int i = 0; i < 4; i++) {
            assertEquals(200, get("/").statusCode(), "the refused connection gives 502, which is listed");
        }
    }

    @Test
    void aTimeoutAfterTheRequestWasSentIsRetriedWhen504IsListed() throws Exception {
        Backend slow = backend("slow");
        Backend fast = backend("fast");
        slow.delay(2_000);
        start("\"retry\"", """
                [http.middlewares.retry.retry]
                attempts = 2
                status = ["504"]
                [http.services.s.loadBalancer]
                serversTransport = "short"
                servers = [{url = "%s"}, {url = "%s"}]
                [http.serversTransports.short.forwardingTimeouts]
                responseHeaderTimeout = "200ms"
                """.formatted(slow.url(), fast.url()));
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> response = get("/");
            assertEquals(200, response.statusCode());
            assertEquals("fast", response.body());
        }
    }

    @Test
    void disableRetryOnNetworkErrorLeavesTheFailureToTheClient() throws Exception {
        Backend live = backend("live");
        start("\"retry\"", """
                [http.middlewares.retry.retry]
                attempts = 2
                disableRetryOnNetworkError = true
                status = ["500"]
                """ + service(deadUrl(), live.url()));
        Set<Integer> statuses = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            statuses.add(get("/").statusCode());
        }
        assertEquals(Set.of(200, 502), statuses);
    }

    @Test
    void withoutRetryTheDeadServerAnswers502() throws Exception {
        Backend live = backend("live");
        start("", service(deadUrl(), live.url()));
        Set<Integer> statuses = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            statuses.add(get("/").statusCode());
        }
        assertEquals(Set.of(200, 502), statuses, "the control: round-robin hits the dead server half the time");
    }

    @Test
    void aListedStatusIsRetriedOnAnotherServer() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        start("\"retry\"", """
                [http.middlewares.retry.retry]
                attempts = 2
                status = ["500-504"]
                """ + service(a.url(), b.url()));
        // a fails once; round-robin sends one of two requests to a first, and its retry goes to b.
        a.failNext(1);
        assertEquals(200, get("/first").statusCode());
        assertEquals(200, get("/second").statusCode());
        assertEquals(3, a.received() + b.received(), "three tries for two requests");
        Set<String> onA = paths(a);
        Set<String> onB = paths(b);
        onA.retainAll(onB);
        assertEquals(1, onA.size(), "the request that failed on a was retried on b");

        // Both answer 500 for the next two requests: with two attempts, the last answer reaches the client.
        a.failNext(2);
        b.failNext(2);
        assertEquals(500, get("/both").statusCode());
    }

    private static Set<String> paths(Backend backend) throws InterruptedException {
        Set<String> paths = new HashSet<>();
        for (int n = backend.received(); n > 0; n--) {
            paths.add(backend.take().pathQuery());
        }
        return paths;
    }

    @Test
    void postIsRetriedOnStatusOnlyWhenAllowedAndItsBodyIsReplayedIntact() throws Exception {
        Backend a = backend("a");
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.strict]
                rule = "PathPrefix(`/strict`)"
                service = "s"
                middlewares = ["strict"]
                [http.routers.lax]
                rule = "PathPrefix(`/lax`)"
                service = "s"
                middlewares = ["lax"]
                [http.middlewares.strict.retry]
                attempts = 3
                status = ["500"]
                [http.middlewares.lax.retry]
                attempts = 3
                status = ["500"]
                retryNonIdempotentMethod = true
                """ + service(a.url()));
        a.failNext(1);
        assertEquals(500, post("/strict", "once").statusCode(), "POST is not idempotent: the 500 is the answer");
        assertEquals("once", a.take().body());
        assertEquals(0, a.received());

        String body = "line one\nline two\n" + "x".repeat(100_000);
        a.failNext(2);
        HttpResponse<String> retried = post("/lax", body);
        assertEquals(200, retried.statusCode());
        for (int i = 0; i < 3; i++) {
            Backend.Seen seen = a.take();
            assertEquals("POST", seen.method());
            assertEquals(body, seen.body(), "try " + (i + 1) + " got the whole body");
        }
    }

    @Test
    void aPostIsRetriedAfterANetworkErrorWithItsBody() throws Exception {
        Backend live = backend("live");
        start("\"retry\"", """
                [http.middlewares.retry.retry]
                attempts = 2
                """ + service(deadUrl(), live.url()));
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = post("/submit", "payload " + i);
            assertEquals(200, response.statusCode(), "nothing reached the dead server, so sending again is safe");
            assertEquals("payload " + i, live.take().body());
        }
    }

    @Test
    void noRetryOnceTheAnswerHasStarted() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        start("\"retry\"", """
                [http.middlewares.retry.retry]
                attempts = 3
                status = ["500-599"]
                """ + service(a.url(), b.url()));
        // /die sends headers and 64 KiB, then drops the connection: the client has part of the answer.
        assertThrows(IOException.class, () -> client.send(HttpRequest.newBuilder(sluice.uri("web", "/die?length")).build(),
                HttpResponse.BodyHandlers.ofString()));
        // A second try would be sent before the client's answer is cut, and counted in flight until its
        // server answered: with nothing in flight any more, every try there was has been received.
        within(5).until(() -> inFlight() == 0);
        assertEquals(1, a.received() + b.received(), "no second try");
    }

    @Test
    void triesWaitTheInitialIntervalAndStopAfterTheTimeout() throws Exception {
        Backend live = backend("live");
        start("\"retry\"", """
                [http.middlewares.retry.retry]
                attempts = 2
                initialInterval = "300ms"
                """ + service(deadUrl(), live.url()));
        long slowest = 0;
        for (int i = 0; i < 2; i++) { // one of the two starts on the dead server
            long start = System.nanoTime();
            assertEquals(200, get("/").statusCode());
            slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
        }
        assertTrue(slowest >= 300, "the retry waited the initial interval: " + slowest + " ms");
        sluice.close();

        Backend slow = backend("slow");
        start("\"retry\"", """
                [http.middlewares.retry.retry]
                attempts = 3
                status = ["500"]
                timeout = "100ms"
                """ + service(slow.url()));
        slow.delay(250);
        slow.failNext(1);
        assertEquals(500, get("/").statusCode(), "the 500 came after the timeout: no retry");
        assertEquals(1, slow.received());
    }

    @Test
    void bodiesOverTheLimitAreSentOnceWithoutRetry() throws Exception {
        Backend a = backend("a");
        start("\"retry\"", """
                [http.middlewares.retry.retry]
                attempts = 2
                status = ["500"]
                retryNonIdempotentMethod = true
                maxRequestBodyBytes = 10
                """ + service(a.url()));
        a.failNext(1);
        assertEquals(500, post("/", "more than ten bytes").statusCode());
        assertEquals("more than ten bytes", a.take().body());
        a.failNext(1);
        assertEquals(200, post("/", "ten bytes!").statusCode());
        assertEquals("ten bytes!", a.take().body());
        assertEquals("ten bytes!", a.take().body());
    }

    private int inFlight() {
        var lb = (dev.sluice.proxy.service.LoadBalancer) sluice.server.runtime().current().service("s");
        return lb.servers().stream().mapToInt(dev.sluice.proxy.service.Server::inFlight).sum();
    }
}
