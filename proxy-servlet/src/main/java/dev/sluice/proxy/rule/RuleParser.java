package dev.sluice.proxy.rule;

import dev.sluice.proxy.rule.RuleLexer.Kind;
import dev.sluice.proxy.rule.RuleLexer.Token;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles a Traefik v3 rule such as {@code Host(`example.com`) && PathPrefix(`/api`)} into a
 * {@link Rule}. Recursive descent over {@link RuleLexer}:
 *
 * <pre>
 * expr    := or
 * or      := and ('||' and)*
 * and     := unary ('&amp;&amp;' unary)*
 * unary   := '!' unary | '(' expr ')' | matcher
 * matcher := Name '(' value (',' value)* ')'
 * value   := `raw` | "go-escaped"
 * </pre>
 *
 * Parsing is the only expensive step (regexes, CIDRs and host forms are all prepared here), so
 * do it once per configuration and reuse the result for every request.
 */
public final class RuleParser {
    /** Deep enough for any hand-written rule, shallow enough to never overflow the stack. */
    private static final int MAX_NESTING = 64;

    private final RuleLexer lexer;
    private Token token;
    /** The token before {@link #token}, for "after '&&'"-style messages. */
    private Token previous;
    private int depth;
    /** TCP router rules: {@code HostSNI}, {@code HostSNIRegexp}, {@code ClientIP}, {@code ALPN}. */
    private final boolean tcp;
    /** A TCP rule looked at the TLS ClientHello (a named SNI, an SNI regexp, ALPN). */
    private boolean needsTls;

    private RuleParser(String rule, boolean tcp) {
        this.lexer = new RuleLexer(rule);
        this.tcp = tcp;
    }

    /**
     * A compiled HTTP router rule with the text it was compiled from, the typed value of
     * {@code http.routers.NAME.rule}: compiled once, when the configuration is read. Equal when the
     * texts are.
     *
     * @param text the rule as written, whose length is the router's default priority
     * @param matcher the compiled rule
     */
    public record HttpRule(String text, Rule matcher) {
        @Override
        public boolean equals(Object o) {
            return o instanceof HttpRule other && text.equals(other.text);
        }

        @Override
        public int hashCode() {
            return text.hashCode();
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * A compiled TCP router rule with the text it was compiled from, the typed value of
     * {@code tcp.routers.NAME.rule}. Equal when the texts are.
     *
     * @param text the rule as written
     * @param matcher matches a {@link RuleRequest} whose {@code host()} is the SNI and {@code alpn()} the offered protocols
     * @param needsTls the rule reads the ClientHello ({@code HostSNI} other than {@code *}, {@code HostSNIRegexp},
     *     {@code ALPN}), so only a router with {@code tls} may use it
     */
    public record TcpRule(String text, Rule matcher, boolean needsTls) {
        @Override
        public boolean equals(Object o) {
            return o instanceof TcpRule other && text.equals(other.text);
        }

        @Override
        public int hashCode() {
            return text.hashCode();
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * Parses and compiles a TCP router rule.
     *
     * @throws RuleSyntaxException with the column of the first problem
     */
    public static TcpRule parseTcp(String rule) throws RuleSyntaxException {
        String text = rule == null ? "" : rule;
        RuleParser parser = new RuleParser(text, true);
        Rule compiled = parser.run();
        return new TcpRule(text, compiled, parser.needsTls);
    }

    /**
     * Parses and compiles an HTTP router rule, keeping its text.
     *
     * @throws RuleSyntaxException with the column of the first problem
     */
    public static HttpRule compile(String rule) throws RuleSyntaxException {
        return new HttpRule(rule, parse(rule));
    }

    /**
     * The names of the {@code Host} matchers of an HTTP rule, lower-case, in order, whatever the
     * operators around them (Traefik's {@code ParseDomains}: what a TLS router's certificate and
     * options are chosen by); empty when the rule does not read.
     */
    public static List<String> hosts(String rule) {
        List<String> hosts = new ArrayList<>();
        RuleLexer lexer = new RuleLexer(rule == null ? "" : rule);
        try {
            Token previous = null;
            boolean inHost = false;
            for (Token t = lexer.next(); t.kind() != Kind.EOF; previous = t, t = lexer.next()) {
                if (t.kind() == Kind.LPAREN) {
                    inHost = previous != null && previous.kind() == Kind.NAME && previous.text().equals("Host");
                } else if (t.kind() == Kind.RPAREN) {
                    inHost = false;
                } else if (inHost && t.kind() == Kind.STRING) {
                    hosts.add(t.text().toLowerCase(java.util.Locale.ROOT));
                }
            }
        } catch (RuleSyntaxException e) {
            return List.of();
        }
        return hosts;
    }

    /**
     * Parses and compiles {@code rule}.
     *
     * @throws RuleSyntaxException with the column of the first problem
     */
    public static Rule parse(String rule) throws RuleSyntaxException {
        if (rule == null) {
            throw new RuleSyntaxException(1, "empty rule");
        }
        return new RuleParser(rule, false).run();
    }

    private Rule run() throws RuleSyntaxException {
        advance();
        if (token.kind() == Kind.EOF) {
            throw new RuleSyntaxException(1, "empty rule");
        }
        Rule result = or();
        expectEnd();
        return result;
    }

    private Rule or() throws RuleSyntaxException {
        List<Rule> parts = new ArrayList<>(2);
        parts.add(and());
        while (token.kind() == Kind.OR) {
            advance();
            parts.add(and());
        }
        return Matchers.Or.of(parts);
    }

    private Rule and() throws RuleSyntaxException {
        List<Rule> parts = new ArrayList<>(2);
        parts.add(unary());
        while (token.kind() == Kind.AND) {
            advance();
            parts.add(unary());
        }
        return Matchers.And.of(parts);
    }

    private Rule unary() throws RuleSyntaxException {
        if (++depth > MAX_NESTING) {
            throw new RuleSyntaxException(token.column(), "rule is nested too deeply (more than "
                    + MAX_NESTING + " levels of '!' and parentheses)");
        }
        try {
            switch (token.kind()) {
                case NOT:
                    advance();
                    return new Matchers.Not(unary());
                case LPAREN:
                    Token open = token;
                    advance();
                    Rule inner = or();
                    if (token.kind() != Kind.RPAREN) {
                        throw new RuleSyntaxException(token.column(), "expected ')' to close the '(' at column "
                                + open.column() + " but found " + token.describe());
                    }
                    advance();
                    return inner;
                case NAME:
                    return matcher();
                default:
                    throw new RuleSyntaxException(token.column(), "expected a matcher, '!' or '('"
                            + (previous != null ? " after " + previous.describe() : "")
                            + " but found " + token.describe());
            }
        } finally {
            depth--;
        }
    }

    private Rule matcher() throws RuleSyntaxException {
        Token name = token;
        MatcherFactory.Kind kind = MatcherFactory.lookup(name.text(), name.column(), tcp);
        advance();
        if (token.kind() != Kind.LPAREN) {
            throw new RuleSyntaxException(token.column(),
                    "expected '(' after " + name.text() + " but found " + token.describe());
        }
        advance();
        List<MatcherFactory.Arg> args = new ArrayList<>(2);
        if (token.kind() != Kind.RPAREN) {
            while (true) {
                args.add(value(name));
                advance();
                if (token.kind() == Kind.COMMA) {
                    advance();
                } else if (token.kind() == Kind.RPAREN) {
                    break;
                } else {
                    throw new RuleSyntaxException(token.column(), "expected ',' or ')' after a value of "
                            + name.text() + " but found " + token.describe());
                }
            }
        }
        advance(); // past ')'
        if (kind == MatcherFactory.Kind.ALPN || kind == MatcherFactory.Kind.HOST_SNI_REGEXP
                || (kind == MatcherFactory.Kind.HOST_SNI && !(args.size() == 1 && args.get(0).value().equals("*")))) {
            needsTls = true;
        }
        return MatcherFactory.build(kind, new MatcherFactory.Arg(name.text(), name.column()), args);
    }

    private MatcherFactory.Arg value(Token name) throws RuleSyntaxException {
        if (token.kind() == Kind.STRING) {
            return new MatcherFactory.Arg(token.text(), token.column());
        }
        String hint = token.kind() == Kind.NAME
                ? "; values must be quoted, e.g. " + name.text() + "(`" + token.text() + "`)"
                : "";
        throw new RuleSyntaxException(token.column(), "expected a value in backticks or double quotes for "
                + name.text() + " but found " + token.describe() + hint);
    }

    private void expectEnd() throws RuleSyntaxException {
        if (token.kind() == Kind.EOF) {
            return;
        }
        if (token.kind() == Kind.RPAREN) {
            throw new RuleSyntaxException(token.column(), "unbalanced ')': no matching '('");
        }
        throw new RuleSyntaxException(token.column(), "unexpected " + token.describe()
                + " after a complete expression (missing '&&' or '||'?)");
    }

    private void advance() throws RuleSyntaxException {
        previous = token;
        token = lexer.next();
    }
}
