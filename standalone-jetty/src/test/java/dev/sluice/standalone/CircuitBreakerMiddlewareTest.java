package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The circuit breaker over real sockets: it trips on what the client got, answers the fallback, recovers. */
class CircuitBreakerMiddlewareTest extends TrafficHarness {

    @Test
    void tripsOnServerErrorsAnswersFallbackThenRecovers() throws Exception {
        Backend b = backend("b");
        start("\"cb\"", """
                [http.middlewares.cb.circuitBreaker]
                expression = "ResponseCodeRatio(500, 600, 0, 600) > 0.25"
                checkPeriod = "10ms"
                fallbackDuration = "1s"
                recoveryDuration = "500ms"
                """ + service(b.url()));
        assertEquals(200, get("/").statusCode());
        b.failNext(3);
        assertEquals(500, get("/").statusCode());
        // The answer is recorded when the exchange is over, a moment after the client has it.
        within(5).until(() -> get("/").statusCode() == 503);
        int seen = b.received();
        HttpResponse<String> open = get("/");
        assertEquals(503, open.statusCode());
        assertEquals("Service Unavailable", open.body());
        assertEquals(seen, b.received(), "an open breaker never calls the upstream");

        // After fallbackDuration and recoveryDuration, everything passes again (the 500s left are spent while recovering).
        b.failNext(0);
        within(10).until(() -> {
            for (int i = 0; i < 5; i++) {
                if (get("/").statusCode() != 200) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    void networkErrorsAsTheClientSeesThemTripItWithTheConfiguredCode() throws Exception {
        start("\"cb\"", """
                [http.middlewares.cb.circuitBreaker]
                expression = "NetworkErrorRatio() > 0.5 && RequestThreshold() >= 2"
                responseCode = 418
                fallbackDuration = "1m"
                """ + service(deadUrl()));
        assertEquals(502, get("/").statusCode(), "one failure is under the threshold");
        within(5).until(() -> get("/").statusCode() == 418);
        HttpResponse<String> open = get("/");
        assertEquals(418, open.statusCode());
        assertEquals("I'm a teapot", open.body());
    }

    @Test
    void slowAnswersTripALatencyExpression() throws Exception {
        Backend b = backend("b");
        start("\"cb\"", """
                [http.middlewares.cb.circuitBreaker]
                expression = "LatencyAtQuantileMS(50.0) > 150"
                checkPeriod = "10ms"
                fallbackDuration = "1m"
                """ + service(b.url()));
        for (int i = 0; i < 3; i++) {
            assertEquals(200, get("/").statusCode(), "fast answers");
        }
        b.delay(300);
        long start = System.nanoTime();
        within(10).until(() -> get("/").statusCode() == 503);
        assertTrue((System.nanoTime() - start) / 1_000_000 >= 300, "it took slow answers to trip it");
    }
}
