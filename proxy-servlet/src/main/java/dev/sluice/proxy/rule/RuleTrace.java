package dev.sluice.proxy.rule;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Why a rule matched a request or not, for the route explainer: the compiled rule evaluated again
 * node by node, every operand of {@code &&} and {@code ||} (no short cut, so that every failing
 * matcher is seen), each leaf with the request fact it looked at. Matching itself never comes here:
 * {@link Rule#matches} stays as fast as it was.
 *
 * <pre>
 * RuleTrace.Step step = RuleTrace.evaluate(router.rule(), request);
 * step.failures();   // ["Host(`a.test`): host is \"b.test\""]
 * </pre>
 */
public final class RuleTrace {
    private RuleTrace() {}

    /**
     * One evaluated node.
     *
     * @param text the node as a rule ({@code Host(`a.test`)}, {@code A && B})
     * @param matched its result for the request
     * @param fact for a leaf, what of the request it looked at ({@code host is "b.test"}); null for operators
     * @param children the operands of {@code &&}, {@code ||} and {@code !}
     */
    public record Step(String text, boolean matched, String fact, List<Step> children) {
        public Step {
            children = List.copyOf(children);
        }

        /**
         * The leaves that made this node fail, each {@code "Matcher(`v`): fact"}; for a {@code !}
         * whose operand matched, the negation itself. Empty when it matched.
         */
        public List<String> failures() {
            List<String> out = new ArrayList<>();
            collect(this, out);
            return out;
        }

        private static void collect(Step step, List<String> out) {
            if (step.matched) {
                return;
            }
            if (step.children.isEmpty() || step.text.startsWith("!")) {
                out.add(step.fact == null ? step.text : step.text + ": " + step.fact);
                return;
            }
            step.children.forEach(child -> collect(child, out));
        }
    }

    /** Evaluates {@code rule} (as compiled by {@link RuleParser}) against {@code request}. */
    public static Step evaluate(Rule rule, RuleRequest request) {
        if (rule instanceof Matchers.And and) {
            List<Step> parts = and.parts().stream().map(p -> evaluate(p, request)).toList();
            return new Step(rule.toString(), parts.stream().allMatch(Step::matched), null, parts);
        }
        if (rule instanceof Matchers.Or or) {
            List<Step> parts = or.parts().stream().map(p -> evaluate(p, request)).toList();
            return new Step(rule.toString(), parts.stream().anyMatch(Step::matched), null, parts);
        }
        if (rule instanceof Matchers.Not not) {
            Step inner = evaluate(not.inner(), request);
            String fact = !inner.matched() ? null : inner.fact() != null ? inner.fact() + ", which it excludes" : "its operand matched";
            return new Step(rule.toString(), !inner.matched(), fact, List.of(inner));
        }
        return new Step(rule.toString(), rule.matches(request), fact(rule, request), List.of());
    }

    /** What the leaf looked at, in words. */
    private static String fact(Rule leaf, RuleRequest request) {
        if (leaf instanceof Matchers.Host || leaf instanceof Matchers.WildcardHost || leaf instanceof Matchers.AnyHost
                || leaf instanceof Matchers.HostRegexp) {
            return "host is " + quoted(request.host());
        }
        if (leaf instanceof Matchers.Path || leaf instanceof Matchers.PathPrefix || leaf instanceof Matchers.PathRegexp) {
            return "path is " + quoted(request.path());
        }
        if (leaf instanceof Matchers.Method) {
            return "method is " + request.method();
        }
        if (leaf instanceof Matchers.Header h) {
            return header(h.name(), request);
        }
        if (leaf instanceof Matchers.HeaderRegexp h) {
            return header(h.name(), request);
        }
        if (leaf instanceof Matchers.Query q) {
            return query(q.key(), request);
        }
        if (leaf instanceof Matchers.QueryRegexp q) {
            return query(q.key(), request);
        }
        if (leaf instanceof Matchers.ClientIp) {
            InetAddress client = request.clientAddress();
            return "client IP is " + (client == null ? "unknown" : client.getHostAddress());
        }
        if (leaf instanceof Matchers.Alpn) {
            return "ALPN offers " + request.alpn();
        }
        return null;
    }

    private static String header(String name, RuleRequest request) {
        List<String> values = new ArrayList<>();
        request.anyHeaderValue(name, v -> !values.add(v));
        return values.isEmpty() ? "no " + name + " header" : name + " is " + String.join(", ", values.stream().map(RuleTrace::quoted).toList());
    }

    private static String query(String key, RuleRequest request) {
        List<String> values = new ArrayList<>();
        request.anyQueryValue(key, v -> !values.add(v));
        return values.isEmpty() ? "no query parameter " + key : "query " + key + " is "
                + String.join(", ", values.stream().map(RuleTrace::quoted).toList());
    }

    private static String quoted(String s) {
        return "\"" + s + "\"";
    }
}
