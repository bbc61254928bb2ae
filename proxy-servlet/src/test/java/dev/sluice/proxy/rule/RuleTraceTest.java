package dev.sluice.proxy.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** {@link RuleTrace}: each node's result agrees with {@link Rule#matches}, and the failing matchers are named with what the request had. */
class RuleTraceTest {
    private record Req(String host, String path, String method, Map<String, List<String>> headers, String client) implements RuleRequest {
        @Override
        public boolean anyHeaderValue(String name, Predicate<String> test) {
            return headers.getOrDefault(name, List.of()).stream().anyMatch(test);
        }

        @Override
        public boolean anyQueryValue(String key, Predicate<String> test) {
            return false;
        }

        @Override
        public InetAddress clientAddress() {
            try {
                return InetAddress.getByName(client);
            } catch (java.net.UnknownHostException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static final Req REQUEST = new Req("b.test", "/api/x", "GET", Map.of("X-Env", List.of("prod")), "10.0.0.7");

    private static RuleTrace.Step trace(String rule) throws RuleSyntaxException {
        Rule compiled = RuleParser.parse(rule);
        RuleTrace.Step step = RuleTrace.evaluate(compiled, REQUEST);
        assertEquals(compiled.matches(REQUEST), step.matched(), rule);
        return step;
    }

    @Test
    void everyFailingOperandOfAnAndIsNamedWithTheFactItLookedAt() throws Exception {
        RuleTrace.Step step = trace("Host(`a.test`) && PathPrefix(`/api`) && Method(`POST`)");
        assertFalse(step.matched());
        assertEquals(List.of("Host(`a.test`): host is \"b.test\"", "Method(`POST`): method is GET"), step.failures());
    }

    @Test
    void anOrFailsWithAllItsOperandsAndAMissingHeaderSaysSo() throws Exception {
        assertEquals(List.of("Header(`X-Canary`, `on`): no X-Canary header", "HeaderRegexp(`X-Env`, `^dev$`): X-Env is \"prod\""),
                trace("Header(`X-Canary`, `on`) || HeaderRegexp(`X-Env`, `^dev$`)").failures());
    }

    @Test
    void aNegationFailsWhenItsOperandMatches() throws Exception {
        assertEquals(List.of("!ClientIP(`10.0.0.0/8`): client IP is 10.0.0.7, which it excludes"), trace("PathPrefix(`/`) && !ClientIP(`10.0.0.0/8`)").failures());
        assertTrue(trace("!ClientIP(`192.168.0.0/16`)").matched());
    }

    @Test
    void aMatchingRuleHasNoFailures() throws Exception {
        RuleTrace.Step step = trace("HostRegexp(`^b\\.test$`) && (Path(`/nope`) || PathPrefix(`/api`))");
        assertTrue(step.matched());
        assertEquals(List.of(), step.failures());
        assertEquals(2, step.children().size());
    }
}
