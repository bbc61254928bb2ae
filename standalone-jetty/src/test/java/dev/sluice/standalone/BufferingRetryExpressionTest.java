package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Buffering's {@code retryExpression} over real sockets: tries go through the retry middleware's path. */
class BufferingRetryExpressionTest extends TrafficHarness {

    private void startWith(String expression, String extra, String service) throws Exception {
        start("\"buf\"", """
                [http.middlewares.buf.buffering]
                retryExpression = "%s"
                """.formatted(expression) + extra + service);
    }

    @Test
    void aNetworkErrorOnTheFirstServerIsRetriedOnTheSecond() throws Exception {
        Backend live = backend("live");
        startWith("IsNetworkError() && Attempts() < 2", "", service(deadUrl(), live.url()));
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> response = get("/x?i=" + i);
            assertEquals(200, response.statusCode(), response::body);
            assertEquals("live", response.body());
        }
        assertEquals(6, live.received());
    }

    @Test
    void aStatusIsRetriedWhileTheExpressionHolds() throws Exception {
        Backend a = backend("a");
        startWith("ResponseCode() == 500 && Attempts() < 3", "", service(a.url()));
        a.failNext(2);
        HttpResponse<String> response = get("/");
        assertEquals(200, response.statusCode(), "the third try answers");
        assertEquals("a", response.body());
        assertEquals(3, a.received());
    }

    @Test
    void theAttemptsBoundLetsTheLastAnswerThrough() throws Exception {
        Backend a = backend("a");
        startWith("ResponseCode() >= 500 && Attempts() < 2", "", service(a.url()));
        a.failNext(3);
        assertEquals(500, get("/").statusCode(), "two tries, both 500: the second answer reaches the client");
        assertEquals(2, a.received());
    }

    @Test
    void anExpressionThatDoesNotHoldSendsTheFirstAnswer() throws Exception {
        Backend a = backend("a");
        startWith("ResponseCode() == 502 && Attempts() < 3", "", service(a.url()));
        a.failNext(1);
        assertEquals(500, get("/").statusCode());
        assertEquals(1, a.received());
        sluice.close();

        Backend live = backend("live");
        startWith("!IsNetworkError() && ResponseCode() >= 500 && Attempts() < 3", "", service(deadUrl(), live.url()));
        int failed = 0;
        for (int i = 0; i < 4; i++) {
            failed += get("/").statusCode() == 502 ? 1 : 0;
        }
        assertEquals(2, failed, "network errors are not retried: round-robin gives the dead server half the requests");
    }

    @Test
    void aPostBodyIsReplayedIntactFromMemoryAndFromDisk() throws Exception {
        Backend a = backend("a");
        startWith("ResponseCode() == 500 && Attempts() < 3", "memRequestBodyBytes = 1024\n", service(a.url()));
        for (String body : new String[] {"small body", "line one\nline two\n" + "x".repeat(100_000)}) {
            a.failNext(2);
            HttpResponse<String> response = post("/submit", body);
            assertEquals(200, response.statusCode());
            for (int i = 0; i < 3; i++) {
                Backend.Seen seen = a.take();
                assertEquals("POST", seen.method());
                assertEquals(body, seen.body(), "try " + (i + 1) + " got the whole body");
            }
        }
        assertEquals(0, a.received());
    }

    @Test
    void aPostIsRetriedAfterANetworkErrorWithItsBody() throws Exception {
        Backend live = backend("live");
        startWith("IsNetworkError() && Attempts() < 2", "", service(deadUrl(), live.url()));
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = post("/submit", "payload " + i);
            assertEquals(200, response.statusCode());
            assertEquals("payload " + i, live.take().body());
        }
    }
}
