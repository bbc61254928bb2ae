package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** ipAllowList, rateLimit and inFlightReq over real sockets. */
class TrafficMiddlewareTest extends TrafficHarness {

    // ------------------------------------------------------------------ ipAllowList

    @Test
    void ipAllowListLetsListedClientsPassAndRejectsOthersWith403() throws Exception {
        Backend b = backend("b");
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.in]
                rule = "PathPrefix(`/in`)"
                service = "s"
                middlewares = ["loopback"]
                [http.routers.out]
                rule = "PathPrefix(`/out`)"
                service = "s"
                middlewares = ["private"]
                [http.routers.custom]
                rule = "PathPrefix(`/custom`)"
                service = "s"
                middlewares = ["private-404"]
                [http.middlewares.loopback.ipAllowList]
                sourceRange = ["10.0.0.0/8", "127.0.0.1/32"]
                [http.middlewares.private.ipAllowList]
                sourceRange = ["10.0.0.0/8", "::1"]
                [http.middlewares.private-404.ipAllowList]
                sourceRange = ["10.0.0.0/8"]
                rejectStatusCode = 404
                """ + service(b.url()));
        HttpResponse<String> allowed = get("/in");
        assertEquals(200, allowed.statusCode());
        assertEquals("b", allowed.body());
        HttpResponse<String> rejected = get("/out");
        assertEquals(403, rejected.statusCode());
        assertEquals("Forbidden", rejected.body());
        assertEquals(404, get("/custom").statusCode());
        assertEquals("/in", b.take().pathQuery());
        assertEquals(0, b.received(), "rejected requests never reach the upstream");
    }

    @Test
    void ipStrategyReadsForwardedForFromTrustedPeersOnly() throws Exception {
        Backend b = backend("b");
        String middlewares = """
                [http.middlewares.depth.ipAllowList]
                sourceRange = ["10.0.0.0/8"]
                ipStrategy = {depth = 2}
                [http.middlewares.excluded.ipAllowList]
                sourceRange = ["10.0.0.0/8"]
                ipStrategy = {excludedIPs = ["192.168.0.0/16", "172.16.0.1"]}
                """;
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                forwardedHeaders = {trustedIPs = ["127.0.0.1"]}
                [entryPoints.open]
                address = "127.0.0.1:0"
                [http.routers.depth]
                rule = "PathPrefix(`/depth`)"
                service = "s"
                middlewares = ["depth"]
                [http.routers.excluded]
                rule = "PathPrefix(`/excluded`)"
                service = "s"
                middlewares = ["excluded"]
                """ + middlewares + service(b.url()));
        // depth 2: the second address from the right.
        assertEquals(200, get("/depth", "X-Forwarded-For", "1.2.3.4, 10.9.9.9, 192.168.0.7").statusCode());
        assertEquals(403, get("/depth", "X-Forwarded-For", "10.9.9.9, 192.168.0.7, 1.2.3.4").statusCode());
        assertEquals(403, get("/depth", "X-Forwarded-For", "10.9.9.9").statusCode(), "shorter than depth: no IP");
        assertEquals(403, get("/depth").statusCode(), "no header: no IP (the peer's address is not used)");
        // excludedIPs: the rightmost address that is not excluded.
        assertEquals(200, get("/excluded", "X-Forwarded-For", "1.2.3.4, 10.0.0.5, 172.16.0.1, 192.168.3.3").statusCode());
        assertEquals(403, get("/excluded", "X-Forwarded-For", "10.0.0.5, 1.2.3.4, 192.168.3.3").statusCode());

        // On an entry point that trusts nobody, a client cannot claim an address: its X-Forwarded-For is dropped.
        HttpResponse<String> spoofed = client.send(HttpRequest.newBuilder(sluice.uri("open", "/depth"))
                .header("X-Forwarded-For", "1.2.3.4, 10.9.9.9, 192.168.0.7").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, spoofed.statusCode());
    }

    // ------------------------------------------------------------------ rateLimit

    @Test
    void rateLimitAnswers429WithRetryAfterBeyondTheBurst() throws Exception {
        Backend b = backend("b");
        start("\"rl\"", """
                [http.middlewares.rl.rateLimit]
                average = 1
                period = "10s"
                burst = 2
                """ + service(b.url()));
        assertEquals(200, get("/").statusCode());
        assertEquals(200, get("/").statusCode());
        HttpResponse<String> limited = get("/");
        assertEquals(429, limited.statusCode());
        assertEquals("Too Many Requests", limited.body());
        // One token every 10 s: the next comes in 10 s at most (9 at least, on a slow machine).
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 9 && retryAfter <= 10, "Retry-After " + retryAfter);
        String retryIn = limited.headers().firstValue("X-Retry-In").orElseThrow();
        assertTrue(retryIn.matches("\\d+(\\.\\d+)?s"), retryIn);
        assertEquals(2, b.received(), "limited requests never reach the upstream");
    }

    @Test
    void rateLimitDelaysARequestThatNeedsOnlyAShortWait() throws Exception {
        Backend b = backend("b");
        // One every 2 s: a request may wait up to 500 ms for its token (the cap below one a second).
        start("\"rl\"", """
                [http.middlewares.rl.rateLimit]
                average = 1
                period = "2s"
                """ + service(b.url()));
        long sent = System.nanoTime();
        assertEquals(200, get("/").statusCode());
        assertEquals(429, get("/").statusCode(), "two seconds to wait: refused at once");
        // A refused request takes nothing: ask until one is let through, delayed once its token is at
        // most 500 ms away. (The exact waits, on a hand-driven clock: RateLimitTest in proxy-servlet.)
        HttpResponse<String> delayed = within(10).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                .until(() -> get("/"), response -> response.statusCode() != 429);
        long elapsed = (System.nanoTime() - sent) / 1_000_000;
        assertEquals(200, delayed.statusCode(), delayed::body);
        assertEquals("b", delayed.body());
        assertTrue(elapsed >= 2000, "served when its token came, two seconds after the first: " + elapsed + " ms");
    }

    @Test
    void rateLimitKeepsOneBucketPerSourceAndAverageZeroLimitsNothing() throws Exception {
        Backend b = backend("b");
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.keyed]
                rule = "PathPrefix(`/keyed`)"
                service = "s"
                middlewares = ["keyed"]
                [http.routers.free]
                rule = "PathPrefix(`/free`)"
                service = "s"
                middlewares = ["free"]
                [http.middlewares.keyed.rateLimit]
                average = 1
                period = "1m"
                sourceCriterion = {requestHeaderName = "X-Api-Key"}
                [http.middlewares.free.rateLimit]
                average = 0
                """ + service(b.url()));
        assertEquals(200, get("/keyed", "X-Api-Key", "alice").statusCode());
        assertEquals(429, get("/keyed", "X-Api-Key", "alice").statusCode());
        assertEquals(200, get("/keyed", "X-Api-Key", "bob").statusCode(), "another source, another bucket");
        assertEquals(200, get("/keyed").statusCode(), "no header is a source of its own");
        for (int i = 0; i < 20; i++) {
            assertEquals(200, get("/free").statusCode());
        }
    }

    // ------------------------------------------------------------------ inFlightReq

    @Test
    void inFlightReqHoldsTheSlotUntilTheAnswerIsComplete() throws Exception {
        Backend b = backend("b");
        start("\"one\"", """
                [http.middlewares.one.inFlightReq]
                amount = 1
                """ + service(b.url()));
        // /hold sends its headers and 64 KiB, then waits: the exchange is under way, not over.
        CompletableFuture<HttpResponse<InputStream>> held = client.sendAsync(
                HttpRequest.newBuilder(sluice.uri("web", "/hold")).build(), HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> first = held.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(200, first.statusCode());
        HttpResponse<String> second = get("/");
        assertEquals(429, second.statusCode(), "the first answer has started but is not over");
        assertEquals("Too Many Requests", second.body());
        assertEquals("Too Many Requests", get("/").body());

        // Another host is another source (the default criterion is the request's host).
        assertEquals("HTTP/1.1 200 OK", statusLineWithHost("/", "other.example"));

        b.release();
        try (InputStream body = first.body()) {
            assertEquals(128 * 1024, body.readAllBytes().length);
        }
        // The slot is free once the exchange is over, which the container reports a moment after the
        // client has the last byte: a request sent at once may still find it taken, never for long.
        for (int i = 0; i < 5; i++) {
            within(5).until(() -> get("/").statusCode() == 200);
        }
    }

    @Test
    void inFlightReqAfterADelayingRateLimitReleasesItsSlot() throws Exception {
        Backend b = backend("b");
        // 5 a second, burst 1: requests 120 ms apart are each delayed a little, then counted in
        // flight; one slot held around it, one within.
        start("\"outer\", \"rl\", \"one\"", """
                [http.middlewares.outer.inFlightReq]
                amount = 1
                [http.middlewares.rl.rateLimit]
                average = 5
                [http.middlewares.one.inFlightReq]
                amount = 1
                """ + service(b.url()));
        int served = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (served < 8 && System.nanoTime() < deadline) {
            HttpResponse<String> response = get("/");
            if (response.statusCode() == 200) {
                served++;
            } else {
                assertEquals(429, response.statusCode()); // the rate limit, or a slot not yet released: a leaked one would refuse forever
            }
            Thread.sleep(120); // the pace under test (faster than a token every 200 ms, so each waits a little), not ordering
        }
        assertEquals(8, served);
    }
}
