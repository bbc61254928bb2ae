package dev.sluice.proxy.rule;

import static dev.sluice.proxy.rule.TestRequest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RuleParserTest {

    private static final boolean MATCH = true;
    private static final boolean NO_MATCH = false;

    private static Arguments row(String rule, TestRequest.Builder request, boolean expected) {
        return Arguments.of(rule, request.build(), expected);
    }

    static Stream<Arguments> matching() {
        return Stream.of(
                // Host: exact, case-insensitive, port already stripped, trailing dots
                row("Host(`example.com`)", request().host("example.com"), MATCH),
                row("Host(`example.com`)", request().host("EXAMPLE.com"), MATCH),
                row("Host(`Example.COM`)", request().host("example.com"), MATCH),
                row("Host(`example.com`)", request().host("example.com:8443"), MATCH),
                row("Host(`example.com`)", request().host("example.com."), MATCH),
                row("Host(`example.com.`)", request().host("example.com"), MATCH),
                row("Host(`example.com.`)", request().host("example.com."), MATCH),
                row("Host(`example.com`)", request().host("www.example.com"), NO_MATCH),
                row("Host(`example.com`)", request().host("example.co"), NO_MATCH),
                row("Host(`example.com`)", request().host(""), NO_MATCH),
                // Host: wildcards
                row("Host(`*.example.com`)", request().host("api.example.com"), MATCH),
                row("Host(`*.example.com`)", request().host("API.Example.com."), MATCH),
                row("Host(`*.example.com`)", request().host("a.b.example.com"), NO_MATCH),
                row("Host(`*.example.com`)", request().host("example.com"), NO_MATCH),
                row("Host(`*.example.com`)", request().host(".example.com"), NO_MATCH),
                row("Host(`*.example.com`)", request().host("apiexample.com"), NO_MATCH),
                row("Host(`*`)", request().host("anything.test"), MATCH),
                row("Host(`*`)", request().host(""), MATCH),
                // HostRegexp: unanchored unless anchored by the user
                row("HostRegexp(`^[a-z]+\\.example\\.com$`)", request().host("api.example.com"), MATCH),
                row("HostRegexp(`^[a-z]+\\.example\\.com$`)", request().host("a1.example.com"), NO_MATCH),
                row("HostRegexp(`example`)", request().host("www.example.org"), MATCH),
                row("HostRegexp(`(?i)^EXAMPLE`)", request().host("example.org"), MATCH),
                // Path / PathPrefix / PathRegexp on the routing path
                row("Path(`/api`)", request().path("/api"), MATCH),
                row("Path(`/api`)", request().path("/api/"), NO_MATCH),
                row("Path(`/api`)", request().path("/API"), NO_MATCH),
                row("Path(`/api`)", request().path("/%61pi"), MATCH),
                row("Path(`/api`)", request().path("//api"), MATCH),
                row("Path(`/api`)", request().path("/x/../api"), MATCH),
                row("Path(`/foo/bar`)", request().path("/foo%2Fbar"), NO_MATCH),
                row("Path(`/foo%2Fbar`)", request().path("/foo%2fbar"), MATCH),
                row("Path(`/foo bar`)", request().path("/foo%20bar"), MATCH),
                row("PathPrefix(`/products`)", request().path("/products/42"), MATCH),
                row("PathPrefix(`/products`)", request().path("/products-for-sale"), MATCH),
                row("PathPrefix(`/products/`)", request().path("/products"), NO_MATCH),
                row("PathPrefix(`/foo/bar`)", request().path("/foo%2Fbar"), NO_MATCH),
                row("PathPrefix(`/foo bar`)", request().path("/foo%20bar/x"), MATCH),
                row("PathPrefix(`/`)", request().path(""), MATCH),
                row("PathRegexp(`\\.(css|js)$`)", request().path("/static/app.js"), MATCH),
                row("PathRegexp(`\\.(css|js)$`)", request().path("/static/app.json"), NO_MATCH),
                row("PathRegexp(`v[0-9]+`)", request().path("/api/v2/users"), MATCH),
                row("PathRegexp(`^/v[0-9]+`)", request().path("/api/v2/users"), NO_MATCH),
                // Method
                row("Method(`GET`)", request().method("GET"), MATCH),
                row("Method(`get`)", request().method("GET"), MATCH),
                row("Method(`POST`)", request().method("GET"), NO_MATCH),
                // Header / HeaderRegexp: any field line, exact value, case-insensitive name
                row("Header(`X-Env`, `prod`)", request().header("x-env", "prod"), MATCH),
                row("Header(`X-Env`, `prod`)", request().header("X-Env", "dev").header("X-Env", "prod"), MATCH),
                row("Header(`X-Env`, `prod`)", request().header("X-Env", "dev, prod"), NO_MATCH),
                row("Header(`X-Env`, `prod`)", request().header("X-Env", "Prod"), NO_MATCH),
                row("Header(`X-Env`, `prod`)", request(), NO_MATCH),
                row("HeaderRegexp(`User-Agent`, `(?i)curl`)", request().header("User-Agent", "Curl/8.0"), MATCH),
                row("HeaderRegexp(`User-Agent`, `^curl`)", request().header("User-Agent", "x curl"), NO_MATCH),
                // Query / QueryRegexp
                row("Query(`mobile`)", request().query("mobile"), MATCH),
                row("Query(`mobile`)", request().query("mobile="), MATCH),
                row("Query(`mobile`)", request().query("mobile=1"), NO_MATCH),
                row("Query(`mobile`)", request().query("other"), NO_MATCH),
                row("Query(`lang`, `en`)", request().query("a=b&lang=fr&lang=en"), MATCH),
                row("Query(`lang`, `en`)", request().query("lang=english"), NO_MATCH),
                row("Query(`q`, `a b`)", request().query("q=a%20b"), MATCH),
                row("QueryRegexp(`id`, `^[0-9]+$`)", request().query("id=42"), MATCH),
                row("QueryRegexp(`id`, `^[0-9]+$`)", request().query("id=4x2"), NO_MATCH),
                row("QueryRegexp(`debug`)", request().query("debug"), MATCH),
                row("QueryRegexp(`debug`)", request().query("debug=1"), NO_MATCH),
                // ClientIP: IPv4, IPv6, CIDR, IPv4-mapped clients
                row("ClientIP(`10.0.0.7`)", request().client("10.0.0.7"), MATCH),
                row("ClientIP(`10.0.0.7`)", request().client("10.0.0.8"), NO_MATCH),
                row("ClientIP(`10.0.0.0/8`)", request().client("10.200.3.4"), MATCH),
                row("ClientIP(`10.0.0.0/8`)", request().client("11.0.0.1"), NO_MATCH),
                row("ClientIP(`192.168.1.77/26`)", request().client("192.168.1.64"), MATCH),
                row("ClientIP(`192.168.1.77/26`)", request().client("192.168.1.128"), NO_MATCH),
                row("ClientIP(`0.0.0.0/0`)", request().client("203.0.113.9"), MATCH),
                row("ClientIP(`0.0.0.0/0`)", request().client("::1"), NO_MATCH),
                row("ClientIP(`10.0.0.0/8`)", request().client(mapped(10, 1, 2, 3)), MATCH),
                row("ClientIP(`10.0.0.0/8`)", request().client(mapped(11, 1, 2, 3)), NO_MATCH),
                row("ClientIP(`::ffff:10.0.0.0/104`)", request().client("10.9.9.9"), MATCH),
                row("ClientIP(`::1`)", request().client("::1"), MATCH),
                row("ClientIP(`::1`)", request().client("127.0.0.1"), NO_MATCH),
                row("ClientIP(`2001:db8::/32`)", request().client("2001:db8:ffff::1"), MATCH),
                row("ClientIP(`2001:db8::/33`)", request().client("2001:db8:8000::1"), NO_MATCH),
                row("ClientIP(`2001:DB8::/32`)", request().client("2001:db9::1"), NO_MATCH),
                row("ClientIP(`2001:db8::/32`)", request().client("10.0.0.1"), NO_MATCH),
                row("ClientIP(`10.0.0.0/8`)", request(), NO_MATCH),
                // Operators: && binds tighter than ||, ! binds tightest, parentheses override
                row("Host(`a`) || Host(`b`) && Path(`/x`)", request().host("a").path("/y"), MATCH),
                row("Host(`a`) || Host(`b`) && Path(`/x`)", request().host("b").path("/y"), NO_MATCH),
                row("Host(`a`) || Host(`b`) && Path(`/x`)", request().host("b").path("/x"), MATCH),
                row("(Host(`a`) || Host(`b`)) && Path(`/x`)", request().host("a").path("/y"), NO_MATCH),
                row("Host(`b`) && Path(`/x`) || Host(`a`)", request().host("a"), MATCH),
                row("!Host(`a`)", request().host("b"), MATCH),
                row("!Host(`a`)", request().host("a"), NO_MATCH),
                row("!Host(`a`) && Path(`/x`)", request().host("b").path("/x"), MATCH),
                row("!(Host(`a`) && Path(`/x`))", request().host("a").path("/y"), MATCH),
                row("!(Host(`a`) && Path(`/x`))", request().host("a").path("/x"), NO_MATCH),
                row("!!Host(`a`)", request().host("a"), MATCH),
                row("((Host(`a`)))", request().host("a"), MATCH),
                row("Host(`a`) && Host(`a`) && Host(`a`) && !Host(`b`)", request().host("a"), MATCH),
                // Quoting and whitespace
                row("Host(\"example.com\")", request().host("example.com"), MATCH),
                row("Header(\"X-Q\", \"say \\\"hi\\\"\")", request().header("X-Q", "say \"hi\""), MATCH),
                row("Header(\"X-Q\", \"a\\\\b\")", request().header("X-Q", "a\\b"), MATCH),
                row("Header(`X-Q`, `a\\b`)", request().header("X-Q", "a\\b"), MATCH),
                row("Header(`X-Q`, \"tab\\there\")", request().header("X-Q", "tab\there"), MATCH),
                row("  Host ( `a` )\n\t&&\r\nPath(`/x`)  ", request().host("a").path("/x"), MATCH),
                row("Host(`a`)&&Path(`/x`)||Method(`PUT`)", request().host("z").method("PUT"), MATCH),
                // Traefik also accepts lower-, upper- and Title-case matcher names
                row("host(`a`) && PATHPREFIX(`/x`) && Pathprefix(`/x`)", request().host("a").path("/x"), MATCH));
    }

    @ParameterizedTest(name = "{0}  on  {1}  -> {2}")
    @MethodSource("matching")
    void matches(String rule, TestRequest request, boolean expected) throws RuleSyntaxException {
        assertEquals(expected, RuleParser.parse(rule).matches(request));
    }

    @ParameterizedTest(name = "{0}  on  {1}  -> {2} after toString round trip")
    @MethodSource("matching")
    void toStringParsesBackToAnEquivalentRule(String rule, TestRequest request, boolean expected)
            throws RuleSyntaxException {
        String printed = RuleParser.parse(rule).toString();
        Rule reparsed = RuleParser.parse(printed);
        assertEquals(expected, reparsed.matches(request), printed);
        assertEquals(printed, reparsed.toString());
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("", 1, "empty rule"),
                Arguments.of("   ", 1, "empty rule"),
                Arguments.of(null, 1, "empty rule"),
                // unknown names and v2 leftovers
                Arguments.of("Hots(`a`)", 1, "unknown matcher \"Hots\" (did you mean \"Host\"?)"),
                Arguments.of("Host(`a`) && Hots(`b`)", 14, "unknown matcher \"Hots\" (did you mean \"Host\"?)"),
                Arguments.of("PathPrefx(`/a`)", 1, "did you mean \"PathPrefix\"?"),
                Arguments.of("hostRegexp(`a`)", 1, "did you mean \"HostRegexp\"?"),
                Arguments.of("Headers(`a`, `b`)", 1, "unknown matcher \"Headers\" (did you mean \"Header\"?"),
                Arguments.of("HeadersRegexp(`a`, `b`)", 1, "did you mean \"HeaderRegexp\"?"),
                Arguments.of("HostHeader(`a`)", 1, "removed in Traefik v3"),
                Arguments.of("HostSNI(`a`)", 1, "TCP matcher"),
                Arguments.of("Bogus(`a`)", 1, "known matchers: Host, HostRegexp"),
                // arity
                Arguments.of("Host(`a`, `b`)", 1, "combine them with ||"),
                Arguments.of("Path(`/a`) && PathPrefix(`/a`, `/b`)", 15, "PathPrefix takes 1 value, got 2"),
                Arguments.of("Host()", 1, "Host takes 1 value, got 0"),
                Arguments.of("Header(`X-A`)", 1, "Header takes 2 values, got 1"),
                Arguments.of("Query(`a`, `b`, `c`)", 1, "Query takes 1 or 2 values, got 3"),
                // values
                Arguments.of("Host('a')", 6, "single quotes are not allowed"),
                Arguments.of("Host(example.com)", 6, "values must be quoted"),
                Arguments.of("Host(`a)", 6, "missing closing backtick"),
                Arguments.of("Host(\"a)", 6, "missing closing double quote"),
                Arguments.of("Host(\"a\\qb\")", 8, "unsupported escape \\q"),
                Arguments.of("Host(`exämple.com`)", 6, "non-ASCII"),
                Arguments.of("Host(``)", 6, "must not be empty"),
                Arguments.of("Host(`a.*.com`)", 6, "invalid wildcard"),
                Arguments.of("Host(`**.example.com`)", 6, "invalid wildcard"),
                Arguments.of("Path(`api`)", 6, "must start with '/'"),
                Arguments.of("Host(`a`) || PathPrefix(`api`)", 25, "must start with '/'"),
                Arguments.of("PathRegexp(`/(a`)", 12, "invalid regular expression in PathRegexp"),
                Arguments.of("Host(`a`) && HostRegexp(`[a-`)", 25, "invalid regular expression in HostRegexp"),
                Arguments.of("HeaderRegexp(`X`, `*a`)", 19, "invalid regular expression in HeaderRegexp"),
                Arguments.of("QueryRegexp(`k`, `(`)", 18, "invalid regular expression in QueryRegexp"),
                Arguments.of("Header(`X A`, `b`)", 8, "not a valid HTTP field name"),
                Arguments.of("Query(``)", 7, "key must not be empty"),
                Arguments.of("Method(``)", 8, "must not be empty"),
                Arguments.of("ClientIP(`10.0.0.256`)", 10, "invalid IP address"),
                Arguments.of("ClientIP(`example.com`)", 10, "invalid IP address"),
                Arguments.of("ClientIP(`010.0.0.1`)", 10, "invalid IP address"),
                Arguments.of("ClientIP(`1.2.3`)", 10, "invalid IP address"),
                Arguments.of("ClientIP(`10.0.0.0/33`)", 10, "prefix length /33 is larger than 32"),
                Arguments.of("ClientIP(`::1/129`)", 10, "larger than 128"),
                Arguments.of("ClientIP(`10.0.0.0/`)", 10, "invalid prefix length"),
                Arguments.of("ClientIP(`2001:db8::g`)", 10, "invalid IP address"),
                Arguments.of("ClientIP(`[::1]`)", 10, "invalid IP address"),
                Arguments.of("ClientIP(`fe80::1%eth0`)", 10, "invalid IP address"),
                // structure
                Arguments.of("(Host(`a`)", 11, "expected ')' to close the '(' at column 1"),
                Arguments.of("Host(`a`))", 10, "unbalanced ')'"),
                Arguments.of("Host(`a`", 9, "expected ',' or ')'"),
                Arguments.of("Host(`a` `b`)", 10, "expected ',' or ')'"),
                Arguments.of("Host(`a`,)", 10, "expected a value in backticks or double quotes"),
                Arguments.of("Host `a`", 6, "expected '(' after Host"),
                Arguments.of("Host", 5, "expected '(' after Host"),
                Arguments.of("Host(`a`) Path(`/`)", 11, "missing '&&' or '||'"),
                Arguments.of("Host(`a`) &&", 13, "after '&&' but found end of rule"),
                Arguments.of("Host(`a`) || ", 14, "after '||' but found end of rule"),
                Arguments.of("&& Host(`a`)", 1, "expected a matcher, '!' or '(' but found '&&'"),
                Arguments.of("Host(`a`) && || Path(`/`)", 14, "after '&&' but found '||'"),
                Arguments.of("!", 2, "after '!' but found end of rule"),
                Arguments.of("()", 2, "after '(' but found ')'"),
                Arguments.of("Host(`a`) & Path(`/`)", 11, "did you mean '&&'?"),
                Arguments.of("Host(`a`) | Path(`/`)", 11, "did you mean '||'?"),
                Arguments.of("Host(`a`) and Path(`/`)", 11, "unexpected and after a complete expression"),
                Arguments.of("!".repeat(100) + "Host(`a`)", 65, "nested too deeply"));
    }

    @ParameterizedTest(name = "{0}  -> column {1}: ...{2}...")
    @MethodSource("invalid")
    void rejects(String rule, int column, String fragment) {
        RuleSyntaxException e = assertThrows(RuleSyntaxException.class, () -> RuleParser.parse(rule));
        assertEquals(column, e.column(), e.getMessage());
        assertTrue(e.reason().contains(fragment), () -> "\"" + e.reason() + "\" should contain \"" + fragment + "\"");
        assertEquals("column " + column + ": " + e.reason(), e.getMessage());
    }

    @Test
    void messageFormat() {
        RuleSyntaxException e = assertThrows(RuleSyntaxException.class,
                () -> RuleParser.parse("Host(`a`) && Hots(`b`)"));
        assertEquals("column 14: unknown matcher \"Hots\" (did you mean \"Host\"?)", e.getMessage());
        assertEquals("unknown matcher \"Hots\" (did you mean \"Host\"?)", e.reason());
    }

    @Test
    void toStringIsReadable() throws RuleSyntaxException {
        assertEquals("Host(`example.com`) && (Path(`/a`) || !Method(`POST`))",
                RuleParser.parse("Host(`Example.com.`)&&(Path(\"/a\")||!Method(`post`))").toString());
        assertEquals("!(Host(`a`) || Host(`b`))", RuleParser.parse("!(Host(`a`) || (Host(`b`)))").toString());
        assertEquals("Header(`X`, \"back`tick\")", RuleParser.parse("Header(`X`, \"back`tick\")").toString());
        assertEquals("Query(`k`) && Path(`/foo%20bar`) && ClientIP(`10.0.0.0/8`)",
                RuleParser.parse("QueryRegexp(`k`) && Path(`/foo bar`) && ClientIP(`10.0.0.0/8`)").toString());
    }

    @Test
    void longChainsDoNotNest() throws RuleSyntaxException {
        String rule = String.join(" || ", java.util.Collections.nCopies(5000, "Host(`x`)")) + " || Host(`a`)";
        assertTrue(RuleParser.parse(rule).matches(request().host("a").build()));
    }

    /** An Inet6Address holding ::ffff:a.b.c.d (InetAddress.getByName would hand back an Inet4Address). */
    private static InetAddress mapped(int a, int b, int c, int d) {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xFF;
        bytes[11] = (byte) 0xFF;
        bytes[12] = (byte) a;
        bytes[13] = (byte) b;
        bytes[14] = (byte) c;
        bytes[15] = (byte) d;
        try {
            InetAddress address = Inet6Address.getByAddress(null, bytes, -1);
            assertTrue(address instanceof Inet6Address, "test needs a real Inet6Address");
            return address;
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
