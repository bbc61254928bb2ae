package dev.sluice.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.config.middleware.CircuitBreakerConfig;
import dev.sluice.proxy.config.middleware.InFlightReqConfig;
import dev.sluice.proxy.config.middleware.IpAllowListConfig;
import dev.sluice.proxy.config.middleware.RateLimitConfig;
import dev.sluice.proxy.config.middleware.RetryConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Config of the traffic-control middlewares: defaults, and errors that name the key path. */
class TrafficConfigErrorsTest {
    private static final String ROUTED = """
            [http.routers.r]
            rule = "PathPrefix(`/`)"
            service = "s"
            middlewares = ["m"]
            [http.services.s.loadBalancer]
            servers = [{url = "http://127.0.0.1:1"}]
            """;

    private static SluiceConfig load(String middleware) throws ConfigException {
        return ConfigLoader.parse(ROUTED + middleware, "test.toml");
    }

    /** The one problem of {@code middleware}, which must start with {@code path}. */
    private static String problem(String middleware, String path) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(middleware));
        assertEquals(1, e.problems().size(), e::getMessage);
        String problem = e.problems().get(0);
        assertTrue(problem.startsWith(path + ": ") || problem.startsWith("test.toml: " + path + ": "), problem);
        return problem;
    }

    @Test
    void defaults() throws ConfigException {
        SluiceConfig config = load("""
                [http.middlewares.m.rateLimit]
                average = 10
                [http.middlewares.i.inFlightReq]
                amount = 2
                [http.middlewares.a.ipAllowList]
                sourceRange = ["10.0.0.0/8"]
                [http.middlewares.t.retry]
                attempts = 3
                [http.middlewares.c.circuitBreaker]
                expression = "NetworkErrorRatio() > 0.5"
                """);
        RateLimitConfig rate = (RateLimitConfig) config.http().middlewares().get("m").options();
        assertEquals(Duration.ofSeconds(1), rate.period());
        assertEquals(1, rate.burst());
        assertEquals(10.0, rate.tokensPerSecond());
        assertTrue(rate.sourceCriterion().ipStrategy() != null, "rateLimit groups by the client IP by default");
        InFlightReqConfig inFlight = (InFlightReqConfig) config.http().middlewares().get("i").options();
        assertTrue(inFlight.sourceCriterion().requestHost(), "inFlightReq groups by the request host by default");
        IpAllowListConfig allow = (IpAllowListConfig) config.http().middlewares().get("a").options();
        assertEquals(403, allow.rejectStatusCode());
        RetryConfig retry = (RetryConfig) config.http().middlewares().get("t").options();
        assertEquals(2L * 1024 * 1024, retry.maxRequestBodyBytes());
        assertEquals(Duration.ZERO, retry.initialInterval());
        assertEquals(List.of(), retry.status());
        CircuitBreakerConfig breaker = (CircuitBreakerConfig) config.http().middlewares().get("c").options();
        assertEquals(Duration.ofMillis(100), breaker.checkPeriod());
        assertEquals(Duration.ofSeconds(10), breaker.fallbackDuration());
        assertEquals(Duration.ofSeconds(10), breaker.recoveryDuration());
        assertEquals(503, breaker.responseCode());
    }

    @Test
    void ipAllowListErrors() {
        problem("[http.middlewares.m.ipAllowList]\n", "http.middlewares.m.ipAllowList.sourceRange");
        String bad = problem("[http.middlewares.m.ipAllowList]\nsourceRange = [\"10.0.0.0/8\", \"10.0.0.300\"]\n",
                "http.middlewares.m.ipAllowList.sourceRange[1]");
        assertTrue(bad.contains("10.0.0.300"), bad);
        problem("[http.middlewares.m.ipAllowList]\nsourceRange = [\"::1\"]\nipStrategy = {ipv6Subnet = 129}\n",
                "http.middlewares.m.ipAllowList.ipStrategy.ipv6Subnet");
        problem("[http.middlewares.m.ipAllowList]\nsourceRange = [\"::1\"]\nipStrategy = {excludedIPs = [\"nope\"]}\n",
                "http.middlewares.m.ipAllowList.ipStrategy.excludedIPs[0]");
        problem("[http.middlewares.m.ipAllowList]\nsourceRange = [\"::1\"]\nrejectStatusCode = 1000\n",
                "http.middlewares.m.ipAllowList.rejectStatusCode");
        String unknown = problem("[http.middlewares.m.ipAllowList]\nsourceRanges = [\"::1\"]\n", "http.middlewares.m.ipAllowList.sourceRanges");
        assertTrue(unknown.contains("did you mean \"sourceRange\""), unknown);
    }

    @Test
    void sourceCriterionAllowsOneCriterion() {
        String both = problem("""
                [http.middlewares.m.rateLimit]
                average = 5
                [http.middlewares.m.rateLimit.sourceCriterion]
                requestHost = true
                requestHeaderName = "X-Key"
                """, "http.middlewares.m.rateLimit.sourceCriterion");
        assertTrue(both.contains("only one criterion allowed, got requestHeaderName and requestHost"), both);
        problem("""
                [http.middlewares.m.inFlightReq]
                amount = 1
                sourceCriterion = {ipStrategy = {depth = -1}}
                """, "http.middlewares.m.inFlightReq.sourceCriterion.ipStrategy.depth");
    }

    @Test
    void rateLimitErrors() {
        String redis = problem("""
                [http.middlewares.m.rateLimit]
                average = 5
                [http.middlewares.m.rateLimit.redis]
                endpoints = ["127.0.0.1:6379"]
                """, "http.middlewares.m.rateLimit.redis");
        assertTrue(redis.contains("distributed rate limiting"), redis);
        problem("[http.middlewares.m.rateLimit]\naverage = -1\n", "http.middlewares.m.rateLimit.average");
        problem("[http.middlewares.m.rateLimit]\naverage = 1\nperiod = \"-1s\"\n", "http.middlewares.m.rateLimit.period");
    }

    @Test
    void inFlightReqErrors() {
        problem("[http.middlewares.m.inFlightReq]\n", "http.middlewares.m.inFlightReq.amount");
    }

    @Test
    void retryErrors() {
        problem("[http.middlewares.m.retry]\ninitialInterval = \"100ms\"\n", "http.middlewares.m.retry.attempts");
        problem("[http.middlewares.m.retry]\nattempts = 2\nstatus = [\"500-5xx\"]\n", "http.middlewares.m.retry.status[0]");
        problem("[http.middlewares.m.retry]\nattempts = 2\nstatus = [\"504-500\"]\n", "http.middlewares.m.retry.status[0]");
        problem("[http.middlewares.m.retry]\nattempts = 2\ndisableRetryOnNetworkError = true\n", "http.middlewares.m.retry.status");
        problem("[http.middlewares.m.retry]\nattempts = 2\nmaxRequestBodyBytes = -2\n", "http.middlewares.m.retry.maxRequestBodyBytes");
    }

    @Test
    void circuitBreakerErrors() {
        String column = problem("[http.middlewares.m.circuitBreaker]\nexpression = \"NetworkErrorRatio() > 0.5 || Latency() > 1\"\n",
                "http.middlewares.m.circuitBreaker.expression");
        assertTrue(column.contains("column 30: unknown function Latency"), column);
        problem("[http.middlewares.m.circuitBreaker]\n", "http.middlewares.m.circuitBreaker.expression");
        problem("[http.middlewares.m.circuitBreaker]\nexpression = \"NetworkErrorRatio() > 0.5\"\nresponseCode = 99\n",
                "http.middlewares.m.circuitBreaker.responseCode");
    }
}
