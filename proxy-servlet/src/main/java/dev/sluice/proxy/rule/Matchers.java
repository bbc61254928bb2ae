package dev.sluice.proxy.rule;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The compiled form of a rule: one small immutable class per matcher plus the {@code And},
 * {@code Or} and {@code Not} combinators. Everything that can be computed from the rule text
 * (lower-casing, regex compilation, CIDR masks) was done by {@link MatcherFactory}; matching only
 * compares. Matchers that test header or query values are their own {@link Predicate}, so no
 * lambda is allocated per request.
 *
 * <p>{@code toString()} prints a rule that parses back to an equivalent rule.
 */
final class Matchers {
    private Matchers() {
    }

    // ---- combinators ---------------------------------------------------------------------

    /** All parts must match. N-ary rather than binary so long chains do not nest deeply. */
    static final class And implements Rule {
        private final Rule[] parts;

        private And(Rule[] parts) {
            this.parts = parts;
        }

        static Rule of(List<Rule> parts) {
            return parts.size() == 1 ? parts.get(0) : new And(flatten(parts, And.class));
        }

        /** The operands, for {@link RuleTrace}; never used by matching. */
        List<Rule> parts() {
            return List.of(parts);
        }

        @Override
        public boolean matches(RuleRequest request) {
            for (Rule part : parts) {
                if (!part.matches(request)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            for (Rule part : parts) {
                if (b.length() > 0) {
                    b.append(" && ");
                }
                // && binds tighter than ||, so an Or operand needs its parentheses back.
                b.append(part instanceof Or ? "(" + part + ")" : part.toString());
            }
            return b.toString();
        }
    }

    /** Any part must match. */
    static final class Or implements Rule {
        private final Rule[] parts;

        private Or(Rule[] parts) {
            this.parts = parts;
        }

        static Rule of(List<Rule> parts) {
            return parts.size() == 1 ? parts.get(0) : new Or(flatten(parts, Or.class));
        }

        /** The operands, for {@link RuleTrace}; never used by matching. */
        List<Rule> parts() {
            return List.of(parts);
        }

        @Override
        public boolean matches(RuleRequest request) {
            for (Rule part : parts) {
                if (part.matches(request)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            for (Rule part : parts) {
                if (b.length() > 0) {
                    b.append(" || ");
                }
                b.append(part);
            }
            return b.toString();
        }
    }

    /** Negation. */
    record Not(Rule inner) implements Rule {
        @Override
        public boolean matches(RuleRequest request) {
            return !inner.matches(request);
        }

        @Override
        public String toString() {
            return inner instanceof And || inner instanceof Or ? "!(" + inner + ")" : "!" + inner;
        }
    }

    /** {@code a && (b && c)} evaluates like {@code a && b && c}; splice nested parts of the same kind. */
    private static Rule[] flatten(List<Rule> parts, Class<?> kind) {
        List<Rule> flat = new ArrayList<>(parts.size());
        for (Rule part : parts) {
            if (kind.isInstance(part)) {
                Rule[] nested = part instanceof And a ? a.parts : ((Or) part).parts;
                flat.addAll(List.of(nested));
            } else {
                flat.add(part);
            }
        }
        return flat.toArray(new Rule[0]);
    }

    // ---- host --------------------------------------------------------------------------

    /** {@code Host(`example.com`)}: {@code host} is lower-case without a trailing dot. */
    record Host(String host) implements Rule {
        @Override
        public boolean matches(RuleRequest request) {
            String h = request.host();
            int n = lengthWithoutTrailingDot(h);
            return n == host.length() && h.regionMatches(true, 0, host, 0, n);
        }

        @Override
        public String toString() {
            return "Host(" + quote(host) + ")";
        }
    }

    /**
     * {@code Host(`*.example.com`)}: exactly one non-empty label in front of {@code suffix}
     * (stored as {@code .example.com}, lower-case, without trailing dot).
     */
    record WildcardHost(String suffix) implements Rule {
        @Override
        public boolean matches(RuleRequest request) {
            String h = request.host();
            int n = lengthWithoutTrailingDot(h);
            int s = suffix.length();
            return n > s
                    && h.regionMatches(true, n - s, suffix, 0, s)
                    // The first dot must be the one that starts the suffix: one label only.
                    && h.indexOf('.') == n - s;
        }

        @Override
        public String toString() {
            return "Host(" + quote("*" + suffix) + ")";
        }
    }

    /** {@code Host(`*`)}: everything, including requests without a host. */
    record AnyHost() implements Rule {
        @Override
        public boolean matches(RuleRequest request) {
            return true;
        }

        @Override
        public String toString() {
            return "Host(`*`)";
        }
    }

    private static int lengthWithoutTrailingDot(String h) {
        int n = h.length();
        return n > 0 && h.charAt(n - 1) == '.' ? n - 1 : n;
    }

    record HostRegexp(Pattern pattern) implements Rule {
        @Override
        public boolean matches(RuleRequest request) {
            return pattern.matcher(request.host()).find();
        }

        @Override
        public String toString() {
            return "HostRegexp(" + quote(pattern.pattern()) + ")";
        }
    }

    // ---- path --------------------------------------------------------------------------

    /** {@code path} is already in routing-path form (see {@link RoutingPath#canonicalValue}). */
    record Path(String path) implements Rule {
        @Override
        public boolean matches(RuleRequest request) {
            return path.equals(request.path());
        }

        @Override
        public String toString() {
            return "Path(" + quote(path) + ")";
        }
    }

    /** Plain string prefix, not segment-aware, exactly like Traefik. */
    record PathPrefix(String prefix) implements Rule {
        @Override
        public boolean matches(RuleRequest request) {
            return request.path().startsWith(prefix);
        }

        @Override
        public String toString() {
            return "PathPrefix(" + quote(prefix) + ")";
        }
    }

    record PathRegexp(Pattern pattern) implements Rule {
        @Override
        public boolean matches(RuleRequest request) {
            return pattern.matcher(request.path()).find();
        }

        @Override
        public String toString() {
            return "PathRegexp(" + quote(pattern.pattern()) + ")";
        }
    }

    // ---- method, headers, query, client ------------------------------------------------

    /** {@code method} is upper-case; the request method is compared as sent. */
    record Method(String method) implements Rule {
        @Override
        public boolean matches(RuleRequest request) {
            return method.equals(request.method());
        }

        @Override
        public String toString() {
            return "Method(" + quote(method) + ")";
        }
    }

    record Header(String name, String value) implements Rule, Predicate<String> {
        @Override
        public boolean matches(RuleRequest request) {
            return request.anyHeaderValue(name, this);
        }

        @Override
        public boolean test(String candidate) {
            return value.equals(candidate);
        }

        @Override
        public String toString() {
            return "Header(" + quote(name) + ", " + quote(value) + ")";
        }
    }

    record HeaderRegexp(String name, Pattern pattern) implements Rule, Predicate<String> {
        @Override
        public boolean matches(RuleRequest request) {
            return request.anyHeaderValue(name, this);
        }

        @Override
        public boolean test(String candidate) {
            return pattern.matcher(candidate).find();
        }

        @Override
        public String toString() {
            return "HeaderRegexp(" + quote(name) + ", " + quote(pattern.pattern()) + ")";
        }
    }

    /** {@code Query(k)} is {@code Query(k, ``)}: the key is present with an empty value. */
    record Query(String key, String value) implements Rule, Predicate<String> {
        @Override
        public boolean matches(RuleRequest request) {
            return request.anyQueryValue(key, this);
        }

        @Override
        public boolean test(String candidate) {
            return value.equals(candidate);
        }

        @Override
        public String toString() {
            return value.isEmpty()
                    ? "Query(" + quote(key) + ")"
                    : "Query(" + quote(key) + ", " + quote(value) + ")";
        }
    }

    record QueryRegexp(String key, Pattern pattern) implements Rule, Predicate<String> {
        @Override
        public boolean matches(RuleRequest request) {
            return request.anyQueryValue(key, this);
        }

        @Override
        public boolean test(String candidate) {
            return pattern.matcher(candidate).find();
        }

        @Override
        public String toString() {
            return "QueryRegexp(" + quote(key) + ", " + quote(pattern.pattern()) + ")";
        }
    }

    /** {@code ALPN(`h2`)} (TCP): the ClientHello offers {@code protocol}. */
    record Alpn(String protocol) implements Rule {
        @Override
        public boolean matches(RuleRequest request) {
            return request.alpn().contains(protocol);
        }

        @Override
        public String toString() {
            return "ALPN(" + quote(protocol) + ")";
        }
    }

    record ClientIp(IpNetwork network) implements Rule {
        @Override
        public boolean matches(RuleRequest request) {
            return network.contains(request.clientAddress());
        }

        @Override
        public String toString() {
            return "ClientIP(" + quote(network.toString()) + ")";
        }
    }

    /** Backticks when possible (raw, readable); a Go double-quoted literal otherwise. */
    static String quote(String value) {
        if (value.indexOf('`') < 0) {
            return "`" + value + "`";
        }
        StringBuilder b = new StringBuilder(value.length() + 8).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
