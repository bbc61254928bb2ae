package dev.sluice.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every class of configuration error, each asserted by the problem line it must produce (exactly, or
 * by a distinctive fragment that contains the key path), plus multi-file merging and the positive
 * cases (quickstart, YAML twin).
 */
class ConfigErrorsTest {

    /** A service that every router row can point at, so that only the intended problem shows. */
    private static final String SERVICE_S = """

            [http.services.s.loadBalancer]
            [[http.services.s.loadBalancer.servers]]
            url = "http://127.0.0.1:9000"
            """;

    private static final boolean EXACT = true;
    private static final boolean FRAGMENT = false;

    private static Arguments toml(String label, String text, boolean exact, String expected) {
        return Arguments.of(label, "test.toml", text, exact, expected);
    }

    private static Arguments yaml(String label, String text, boolean exact, String expected) {
        return Arguments.of(label, "test.yaml", text, exact, expected);
    }

    /** A router named r with the given extra lines, pointing at service s. */
    private static String router(String lines) {
        return "[http.routers.r]\n" + lines + "\n" + SERVICE_S;
    }

    /** One upstream of service s with the given url line and extra lines. */
    private static String server(String lines) {
        return "[[http.services.s.loadBalancer.servers]]\n" + lines + "\n";
    }

    private static String entryPoint(String address) {
        return "[entryPoints.web]\naddress = \"" + address + "\"\n";
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                // --- unknown keys, at every depth, with and without did-you-mean ---
                toml("unknown key in router", """
                        [http.routers.api]
                        rule = "PathPrefix(`/`)"
                        servcie = "x"
                        service = "s"
                        """ + SERVICE_S, FRAGMENT,
                        "http.routers.api.servcie: unknown key (did you mean \"service\"?)"),
                toml("unknown top-level section, close to http", """
                        [htpp.routers.api]
                        rule = "PathPrefix(`/`)"
                        """, FRAGMENT, "htpp: unknown key (did you mean \"http\"?)"),
                toml("unknown top-level section, nothing close", """
                        [haproxy.backend]
                        balance = "roundrobin"
                        """, FRAGMENT, "test.toml: haproxy: unknown key; known keys: "),
                toml("unknown section under http", """
                        [http.rooters.api]
                        rule = "PathPrefix(`/`)"
                        """, FRAGMENT, "http.rooters: unknown key (did you mean \"routers\"?)"),
                toml("unknown key in entry point", """
                        [entryPoints.web]
                        adress = ":8080"
                        """, FRAGMENT, "entryPoints.web.adress: unknown key (did you mean \"address\"?)"),
                toml("unknown key in forwardedHeaders", """
                        [entryPoints.web]
                        address = ":8080"
                        [entryPoints.web.forwardedHeaders]
                        trustedIP = ["10.0.0.0/8"]
                        """, FRAGMENT,
                        "entryPoints.web.forwardedHeaders.trustedIP: unknown key (did you mean \"trustedIPs\"?)"),
                toml("unknown service kind", """
                        [http.services.s.loadBalancr]
                        strategy = "wrr"
                        """, FRAGMENT, "http.services.s.loadBalancr: unknown key (did you mean \"loadBalancer\"?)"),
                toml("unknown key in loadBalancer", """
                        [http.services.s.loadBalancer]
                        strategi = "wrr"
                        """, FRAGMENT, "http.services.s.loadBalancer.strategi: unknown key (did you mean \"strategy\"?)"),
                toml("unknown key in a server (list index in path)", server("""
                        url = "http://127.0.0.1:9000"
                        wieght = 2
                        """), FRAGMENT,
                        "http.services.s.loadBalancer.servers[0].wieght: unknown key (did you mean \"weight\"?)"),
                toml("unknown key in static", """
                        [http.services.s.static]
                        root = "."
                        spaa = true
                        """, FRAGMENT, "http.services.s.static.spaa: unknown key (did you mean \"spa\"?)"),
                toml("unknown key in forwardingTimeouts", """
                        [http.serversTransports.t.forwardingTimeouts]
                        dialTimout = "10s"
                        """, FRAGMENT,
                        "http.serversTransports.t.forwardingTimeouts.dialTimout: unknown key (did you mean \"dialTimeout\"?)"),
                toml("unknown middleware type", """
                        [http.middlewares.m.stripPrefx]
                        prefixes = ["/api"]
                        """, FRAGMENT, "http.middlewares.m.stripPrefx: unknown key (did you mean \"stripPrefix\"?)"),
                toml("unknown key in stripPrefix", """
                        [http.middlewares.m.stripPrefix]
                        prefix = "/api"
                        """, FRAGMENT,
                        "http.middlewares.m.stripPrefix.prefix: unknown key (did you mean \"prefixes\"?)"),
                yaml("unknown key in YAML", """
                        http:
                          routers:
                            api:
                              rule: "PathPrefix(`/`)"
                              servcie: s
                        """, FRAGMENT,
                        "test.yaml: http.routers.api.servcie: unknown key (did you mean \"service\"?)"),

                // --- wrong types ---
                toml("weight is a string", server("""
                        url = "http://127.0.0.1:9000"
                        weight = "abc"
                        """), FRAGMENT, "http.services.s.loadBalancer.servers[0].weight: expected an integer"),
                toml("weight is a numeric string (no coercion)", server("""
                        url = "http://127.0.0.1:9000"
                        weight = "2"
                        """), FRAGMENT, "http.services.s.loadBalancer.servers[0].weight: expected an integer"),
                toml("weight is a float (must not be truncated to 1)", server("""
                        url = "http://127.0.0.1:9000"
                        weight = 1.5
                        """), FRAGMENT, "http.services.s.loadBalancer.servers[0].weight: expected an integer"),
                toml("weight out of int range", server("""
                        url = "http://127.0.0.1:9000"
                        weight = 99999999999
                        """), FRAGMENT, "http.services.s.loadBalancer.servers[0].weight: "),
                toml("passHostHeader is a number", """
                        [http.services.s.loadBalancer]
                        passHostHeader = 3
                        """, FRAGMENT, "http.services.s.loadBalancer.passHostHeader: expected true or false, got 3"),
                toml("servers is a string", """
                        [http.services.s.loadBalancer]
                        servers = "http://127.0.0.1:9000"
                        """, FRAGMENT, "http.services.s.loadBalancer.servers: expected a list"),
                toml("servers is a table", """
                        [http.services.s.loadBalancer.servers]
                        url = "http://127.0.0.1:9000"
                        """, FRAGMENT, "http.services.s.loadBalancer.servers: expected a list"),
                toml("entryPoints is a string", router("""
                        rule = "PathPrefix(`/`)"
                        service = "s"
                        entryPoints = "web"
                        """), FRAGMENT, "http.routers.r.entryPoints: expected a list"),
                toml("priority is a string", router("""
                        rule = "PathPrefix(`/`)"
                        service = "s"
                        priority = "high"
                        """), FRAGMENT, "http.routers.r.priority: expected an integer"),
                toml("rule is a number (type error, not a rule syntax error)", router("""
                        rule = 42
                        service = "s"
                        """), FRAGMENT, "http.routers.r.rule: expected a string"),
                toml("rule is a boolean", router("""
                        rule = true
                        service = "s"
                        """), FRAGMENT, "http.routers.r.rule: expected a string"),
                toml("duration is a boolean", """
                        [http.serversTransports.t.forwardingTimeouts]
                        dialTimeout = true
                        """, FRAGMENT,
                        "http.serversTransports.t.forwardingTimeouts.dialTimeout: expected a duration such as \"10s\" or \"150ms\""),
                yaml("weight is a string in YAML", """
                        http:
                          services:
                            s:
                              loadBalancer:
                                servers:
                                  - url: http://127.0.0.1:9000
                                    weight: abc
                        """, FRAGMENT, "test.yaml: http.services.s.loadBalancer.servers[0].weight: expected an integer"),

                // --- durations ---
                toml("invalid duration string", """
                        [http.serversTransports.t.forwardingTimeouts]
                        dialTimeout = "10 parsecs"
                        """, FRAGMENT,
                        "http.serversTransports.t.forwardingTimeouts.dialTimeout: expected a duration such as \"10s\" or"
                                + " \"150ms\", got \"10 parsecs\" (invalid duration \"10 parsecs\": unknown unit"),
                toml("duration without unit after a number", """
                        [http.serversTransports.t.forwardingTimeouts]
                        idleConnTimeout = "1m30"
                        """, FRAGMENT,
                        "http.serversTransports.t.forwardingTimeouts.idleConnTimeout: expected a duration such as"),

                // --- references ---
                toml("unknown service with suggestion", """
                        [http.routers.r]
                        rule = "PathPrefix(`/`)"
                        service = "apii"
                        [[http.services.api.loadBalancer.servers]]
                        url = "http://127.0.0.1:9000"
                        """, EXACT, "http.routers.r.service: unknown service \"apii\" (did you mean \"api\"?)"),
                toml("unknown service, nothing close", router("""
                        rule = "PathPrefix(`/`)"
                        service = "backend"
                        """), EXACT, "http.routers.r.service: unknown service \"backend\""),
                toml("unknown middleware with suggestion", router("""
                        rule = "PathPrefix(`/`)"
                        service = "s"
                        middlewares = ["strip-prefix", "stripprefx"]
                        [http.middlewares.strip-prefix.stripPrefix]
                        prefixes = ["/api"]
                        """), EXACT,
                        "http.routers.r.middlewares[1]: unknown middleware \"stripprefx\" (did you mean \"strip-prefix\"?)"),
                toml("unknown middleware, none defined", router("""
                        rule = "PathPrefix(`/`)"
                        service = "s"
                        middlewares = ["auth"]
                        """), EXACT, "http.routers.r.middlewares[0]: unknown middleware \"auth\""),
                toml("unknown entry point with suggestion", entryPoint(":8080") + router("""
                        rule = "PathPrefix(`/`)"
                        service = "s"
                        entryPoints = ["webb"]
                        """), EXACT, "http.routers.r.entryPoints[0]: unknown entry point \"webb\" (did you mean \"web\"?)"),
                toml("unknown serversTransport with suggestion", """
                        [http.serversTransports.fast]
                        [http.services.s.loadBalancer]
                        serversTransport = "fats"
                        """, EXACT,
                        "http.services.s.loadBalancer.serversTransport: unknown serversTransport \"fats\" (did you mean \"fast\"?)"),

                // --- routers ---
                toml("missing rule", router("""
                        service = "s"
                        """), EXACT, "http.routers.r.rule: missing rule, e.g. rule = \"PathPrefix(`/`)\""),
                toml("blank rule", router("""
                        rule = "   "
                        service = "s"
                        """), EXACT, "http.routers.r.rule: missing rule, e.g. rule = \"PathPrefix(`/`)\""),
                toml("missing service", router("""
                        rule = "PathPrefix(`/`)"
                        """), EXACT, "http.routers.r.service: missing service name"),
                toml("invalid rule: single &", router("""
                        rule = "Path(`/`) & Host(`a`)"
                        service = "s"
                        """), EXACT,
                        "http.routers.r.rule: invalid rule \"Path(`/`) & Host(`a`)\": column 11: unexpected '&' (did you mean '&&'?)"),
                toml("invalid rule: misspelt matcher", router("""
                        rule = "Path(`/`) && Paht(`/x`)"
                        service = "s"
                        """), FRAGMENT,
                        "http.routers.r.rule: invalid rule \"Path(`/`) && Paht(`/x`)\": column 14: unknown matcher \"Paht\""),

                // --- upstream URLs and weights ---
                toml("URL without scheme", server("""
                        url = "127.0.0.1:9000"
                        """), FRAGMENT, "http.services.s.loadBalancer.servers[0].url: invalid URL \"127.0.0.1:9000\""),
                toml("URL host:port without scheme", server("""
                        url = "localhost:9000"
                        """), EXACT,
                        "http.services.s.loadBalancer.servers[0].url: invalid URL \"localhost:9000\": scheme must be http, https or h2c"),
                toml("URL with ftp scheme", server("""
                        url = "ftp://files.example.com/"
                        """), EXACT,
                        "http.services.s.loadBalancer.servers[0].url: invalid URL \"ftp://files.example.com/\": scheme must be http, https or h2c"),
                toml("URL without host", server("""
                        url = "http:///path"
                        """), EXACT, "http.services.s.loadBalancer.servers[0].url: invalid URL \"http:///path\": missing host"),
                toml("URL that is only a scheme", server("""
                        url = "http://"
                        """), FRAGMENT, "http.services.s.loadBalancer.servers[0].url: invalid URL \"http://\""),
                toml("URL with query", server("""
                        url = "http://127.0.0.1:9000/?debug=1"
                        """), EXACT,
                        "http.services.s.loadBalancer.servers[0].url: invalid URL \"http://127.0.0.1:9000/?debug=1\": no query or fragment allowed"),
                toml("URL with fragment", server("""
                        url = "http://127.0.0.1:9000/#top"
                        """), EXACT,
                        "http.services.s.loadBalancer.servers[0].url: invalid URL \"http://127.0.0.1:9000/#top\": no query or fragment allowed"),
                toml("missing URL in the second server", server("""
                        url = "http://127.0.0.1:9000"
                        """) + server("""
                        weight = 2
                        """), EXACT, "http.services.s.loadBalancer.servers[1].url: missing url, e.g. \"http://127.0.0.1:8080\""),
                toml("negative weight", server("""
                        url = "http://127.0.0.1:9000"
                        weight = -1
                        """), EXACT, "http.services.s.loadBalancer.servers[0].weight: must be 0 or more, got -1"),
                toml("unknown strategy with suggestion", """
                        [http.services.s.loadBalancer]
                        strategy = "wrrr"
                        """, EXACT,
                        "http.services.s.loadBalancer.strategy: unknown strategy \"wrrr\" (did you mean \"wrr\"?); known: wrr, random, p2c, hrw, leasttime, hash"),
                toml("unknown strategy, nothing close", """
                        [http.services.s.loadBalancer]
                        strategy = "fastest"
                        """, EXACT, "http.services.s.loadBalancer.strategy: unknown strategy \"fastest\"; known: wrr, random, p2c, hrw, leasttime, hash"),

                // --- service kinds ---
                toml("service with two kinds", """
                        [http.services.s.loadBalancer]
                        [http.services.s.static]
                        root = "."
                        """, EXACT, "http.services.s: exactly one service kind allowed, found loadBalancer and static"),
                toml("service with no kind", """
                        [http.services.s]
                        """, EXACT, "http.services.s: no service kind; set one of loadBalancer, weighted, highestRandomWeight, mirroring, failover, static"),

                // --- middlewares ---
                toml("middleware with no type", """
                        [http.middlewares.m]
                        """, EXACT, "http.middlewares.m: no middleware type; add one table such as [http.middlewares.m.stripPrefix] (types: conf/middlewares.toml)"),
                toml("middleware with two types", """
                        [http.middlewares.m.stripPrefix]
                        prefixes = ["/a"]
                        [http.middlewares.m.addPrefix]
                        prefix = "/b"
                        """, FRAGMENT, "http.middlewares.m: exactly one middleware type allowed, found stripPrefix and addPrefix"),
                toml("stripPrefix without prefixes", """
                        [http.middlewares.m.stripPrefix]
                        """, EXACT, "http.middlewares.m.stripPrefix.prefixes: at least one prefix required"),
                toml("stripPrefix with an empty list", """
                        [http.middlewares.m.stripPrefix]
                        prefixes = []
                        """, EXACT, "http.middlewares.m.stripPrefix.prefixes: at least one prefix required"),
                toml("addPrefix without leading slash", """
                        [http.middlewares.m.addPrefix]
                        prefix = "api"
                        """, EXACT, "http.middlewares.m.addPrefix.prefix: must start with \"/\", got \"api\""),
                toml("addPrefix without prefix", """
                        [http.middlewares.m.addPrefix]
                        """, EXACT, "http.middlewares.m.addPrefix.prefix: must start with \"/\", got nothing"),

                // --- entry points ---
                toml("address without colon", entryPoint("8080"), EXACT,
                        "entryPoints.web.address: invalid address \"8080\": expected host:port or :port"),
                toml("port out of range", entryPoint(":70000"), EXACT,
                        "entryPoints.web.address: invalid address \":70000\": port must be between 0 and 65535"),
                toml("negative port", entryPoint(":-1"), EXACT,
                        "entryPoints.web.address: invalid address \":-1\": port must be between 0 and 65535"),
                toml("port not a number", entryPoint(":http"), EXACT,
                        "entryPoints.web.address: invalid address \":http\": port must be a number"),
                toml("unbracketed IPv6", entryPoint("::1:80"), EXACT,
                        "entryPoints.web.address: invalid address \"::1:80\": write IPv6 hosts in brackets, e.g. [::1]:8080"),
                toml("unknown protocol", entryPoint(":80/sctp"), EXACT,
                        "entryPoints.web.address: invalid address \":80/sctp\": protocol must be tcp or udp"),
                toml("UDP entry point used by an HTTP router", entryPoint(":53/udp") + router("rule = \"PathPrefix(`/`)\"\nservice = \"s\"\nentryPoints = [\"web\"]"), EXACT,
                        "http.routers.r.entryPoints[0]: entry point \"web\" is a UDP entry point"),
                toml("missing address", """
                        [entryPoints.web]
                        asDefault = true
                        """, EXACT, "entryPoints.web.address: missing address, e.g. \":8080\""),
                toml("invalid trustedIPs CIDR", entryPoint(":8080") + """
                        [entryPoints.web.forwardedHeaders]
                        trustedIPs = ["10.0.0.0/8", "10.0.0.0/33"]
                        """, EXACT, "entryPoints.web.forwardedHeaders.trustedIPs[1]: invalid IP or CIDR \"10.0.0.0/33\""),
                toml("trustedIPs with a host name", entryPoint(":8080") + """
                        [entryPoints.web.forwardedHeaders]
                        trustedIPs = ["proxy.example.com"]
                        """, EXACT, "entryPoints.web.forwardedHeaders.trustedIPs[0]: invalid IP or CIDR \"proxy.example.com\""),

                // --- static files ---
                toml("static root that does not exist", """
                        [http.services.s.static]
                        root = "/nonexistent/sluice-test-root"
                        """, EXACT, "http.services.s.static.root: not a directory: \"/nonexistent/sluice-test-root\""),
                toml("static root missing", """
                        [http.services.s.static]
                        spa = true
                        """, EXACT, "http.services.s.static.root: missing root directory"),
                toml("notFound file missing from root", """
                        [http.services.s.static]
                        root = "."
                        [http.services.s.static.notFound]
                        file = "no-such-404.html"
                        """, EXACT, "http.services.s.static.notFound.file: no such file in root: \"no-such-404.html\""),
                toml("notFound without file", """
                        [http.services.s.static]
                        root = "."
                        [http.services.s.static.notFound]
                        status = 404
                        """, EXACT, "http.services.s.static.notFound.file: missing file"),
                toml("notFound status out of range", """
                        [http.services.s.static]
                        root = "."
                        [http.services.s.static.notFound]
                        file = "pom.xml"
                        status = 100
                        """, EXACT, "http.services.s.static.notFound.status: must be an HTTP status between 200 and 599, got 100"),

                // --- syntax errors: "syntax error" and the line ---
                toml("TOML unterminated string", """
                        [http.routers.api]
                        rule = "PathPrefix(`/`)
                        service = "s"
                        """, FRAGMENT, "test.toml: syntax error: line 2, column "),
                toml("TOML value without quotes", """
                        [entryPoints.web]

                        address = :8080
                        """, FRAGMENT, "test.toml: syntax error: line 3, column "),
                toml("TOML unclosed table header", """
                        [entryPoints.web]
                        address = ":8080"
                        [http.routers.api
                        rule = "PathPrefix(`/`)"
                        """, FRAGMENT, "test.toml: syntax error: line 3, column "),
                // No trailing newline: with one, the TOML parser reports the position after it (line 4, column 1).
                toml("TOML duplicate key", "[entryPoints.web]\naddress = \":8080\"\naddress = \":8081\"", FRAGMENT,
                        "test.toml: syntax error: line 3, column "),
                yaml("YAML tab indentation", """
                        http:
                        \trouters: {}
                        """, FRAGMENT, "test.yaml: syntax error: line 2, column "),
                yaml("YAML unterminated quoted string, nested", """
                        http:
                          routers:
                            r:
                              rule: "PathPrefix(`/`)
                        """, FRAGMENT, "test.yaml: syntax error: line "),

                // --- YAML nulls: an empty section must be a ConfigException naming it, never a crash ---
                yaml("YAML router without body", """
                        http:
                          routers:
                            r:
                        """, FRAGMENT, "http.routers.r:"),
                yaml("YAML service without body", """
                        http:
                          services:
                            s:
                        """, FRAGMENT, "http.services.s:"),
                yaml("YAML entry point without body", """
                        entryPoints:
                          web:
                        """, FRAGMENT, "entryPoints.web:"),
                yaml("YAML middleware without body", """
                        http:
                          middlewares:
                            m:
                        """, FRAGMENT, "http.middlewares.m:"),
                yaml("YAML serversTransport without body", """
                        http:
                          serversTransports:
                            t:
                        """, FRAGMENT, "http.serversTransports.t:"),
                yaml("YAML null server", """
                        http:
                          services:
                            s:
                              loadBalancer:
                                servers: [~]
                        """, FRAGMENT, "http.services.s.loadBalancer.servers[0]:"),
                yaml("YAML null trustedIPs entry", """
                        entryPoints:
                          web:
                            address: ":8080"
                            forwardedHeaders:
                              trustedIPs: [~]
                        """, FRAGMENT, "entryPoints.web.forwardedHeaders.trustedIPs[0]:"),
                yaml("YAML null prefix", """
                        http:
                          middlewares:
                            m:
                              stripPrefix:
                                prefixes: [~]
                        """, FRAGMENT, "http.middlewares.m.stripPrefix.prefixes[0]:"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void reportsProblem(String label, String source, String text, boolean exact, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(text, source), label);
        List<String> problems = e.problems();
        boolean found = exact ? problems.contains(expected) : problems.stream().anyMatch(p -> p.contains(expected));
        assertTrue(found, () -> "expected " + (exact ? "the line" : "a line containing") + "\n  " + expected
                + "\nbut got\n  " + String.join("\n  ", problems));
        for (String problem : problems) {
            assertFalse(problem.contains("\n") || problem.contains("\r"), () -> "a problem must be one line: " + problem);
        }
    }

    @ParameterizedTest(name = "{0} -> column {1}")
    @CsvSource(delimiter = ';', quoteCharacter = '"', value = {
        "Path(`/`) & Host(`a`)              ; 11",
        "Path(`/`) && Paht(`/x`)            ; 14",
        "Host(`a`                           ; 9",
        "PathPrefix(`/api`) || Host(`x`))   ; 32",
        "Path(`/a`) && (Host(`x`)           ; 25",
        "Path('/')                          ; 6",
        "Path(`api`)                        ; 6",
    })
    void invalidRuleNamesTheColumn(String rule, int column) {
        String text = "[http.routers.r]\nrule = \"" + rule + "\"\nservice = \"s\"\n" + SERVICE_S;
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(text, "test.toml"));
        assertEquals(1, e.problems().size(), e::getMessage);
        String problem = e.problems().get(0);
        assertTrue(problem.startsWith("http.routers.r.rule: invalid rule \"" + rule + "\": "), problem);
        Matcher m = Pattern.compile("column (\\d+)").matcher(problem);
        assertTrue(m.find(), () -> "no column in: " + problem);
        assertEquals(column, Integer.parseInt(m.group(1)), problem);
    }

    @Test
    void reportsEveryProblemAtOnce() {
        String text = """
                [entryPoints.web]
                address = "8080"

                [http.routers.api]
                rule = "PathPrefix(`/`)"
                service = "apii"
                entryPoints = ["webb"]

                [http.services.api.loadBalancer]
                strategy = "rr"
                [[http.services.api.loadBalancer.servers]]
                url = "ftp://x"
                weight = -2

                [http.middlewares.m]
                """;
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(text, "test.toml"));
        List<String> expected = List.of(
                "entryPoints.web.address: invalid address \"8080\": expected host:port or :port",
                "http.routers.api.service: unknown service \"apii\" (did you mean \"api\"?)",
                "http.routers.api.entryPoints[0]: unknown entry point \"webb\" (did you mean \"web\"?)",
                "http.services.api.loadBalancer.servers[0].url: invalid URL \"ftp://x\": scheme must be http, https or h2c",
                "http.services.api.loadBalancer.servers[0].weight: must be 0 or more, got -2",
                "http.services.api.loadBalancer.strategy: unknown strategy \"rr\" (did you mean \"wrr\"?); known: wrr, random, p2c, hrw, leasttime, hash",
                "http.middlewares.m: no middleware type; add one table such as [http.middlewares.m.stripPrefix] (types: conf/middlewares.toml)");
        assertEquals(7, e.problems().size(), e::getMessage);
        assertEquals(expected, e.problems());
        assertEquals(String.join(System.lineSeparator(), expected), e.getMessage());
    }

    @Test
    void emptyDocumentsAreEmptyConfigs() throws ConfigException {
        SluiceConfig empty = new SluiceConfig(null, null);
        assertEquals(empty, ConfigLoader.parse("", "test.toml"));
        assertEquals(empty, ConfigLoader.parse("# nothing yet\n", "test.toml"));
        assertEquals(empty, ConfigLoader.parse("---\n", "test.yaml"));
    }

    @Test
    void emptyYamlFileIsAnEmptyConfigLikeAnEmptyTomlFile() throws ConfigException {
        SluiceConfig empty = new SluiceConfig(null, null);
        assertEquals(empty, ConfigLoader.parse("", "test.yaml"));
        assertEquals(empty, ConfigLoader.parse("# nothing yet\n", "test.yaml"));
    }

    // ------------------------------------------------------------------ multi-file

    @Test
    void filesWithDifferentRoutersMerge(@TempDir Path dir) throws Exception {
        Path a = write(dir.resolve("a.toml"), """
                [entryPoints.web]
                address = ":8080"

                [http.routers.api]
                rule = "PathPrefix(`/api`)"
                service = "api"
                entryPoints = ["web"]
                middlewares = ["strip"]
                """);
        Path b = write(dir.resolve("b.toml"), """
                [http.routers.site]
                rule = "PathPrefix(`/`)"
                service = "api"

                [[http.services.api.loadBalancer.servers]]
                url = "http://127.0.0.1:9000"

                [http.middlewares.strip.stripPrefix]
                prefixes = ["/api"]
                """);
        SluiceConfig config = ConfigLoader.load(List.of(a, b));
        assertEquals(List.of("api", "site"), List.copyOf(config.http().routers().keySet()));
        assertEquals(List.of("web"), List.copyOf(config.entryPoints().keySet()));
        assertEquals(List.of("api"), List.copyOf(config.http().services().keySet()));
        assertEquals(List.of("strip"), List.copyOf(config.http().middlewares().keySet()));
        assertEquals("api", config.http().routers().get("site").service());
    }

    @Test
    void sameRouterInTwoFilesIsAnErrorNamingBoth(@TempDir Path dir) throws Exception {
        String router = """
                [http.routers.api]
                rule = "PathPrefix(`/`)"
                service = "api"
                [[http.services.api%s.loadBalancer.servers]]
                url = "http://127.0.0.1:9000"
                """;
        Path a = write(dir.resolve("a.toml"), router.formatted("-a"));
        Path b = write(dir.resolve("b.toml"), router.formatted("-b"));
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(List.of(a, b)));
        assertEquals(List.of("http.routers.api: defined in both " + a + " and " + b), e.problems());
    }

    @Test
    void everySectionIsCheckedForDuplicates(@TempDir Path dir) throws Exception {
        String body = """
                [entryPoints.web]
                address = ":8080"
                [http.services.s.loadBalancer]
                [http.middlewares.m.addPrefix]
                prefix = "/x"
                [http.serversTransports.t]
                """;
        Path a = write(dir.resolve("a.toml"), body);
        Path b = write(dir.resolve("b.yaml"), """
                entryPoints:
                  web:
                    address: ":8081"
                http:
                  services:
                    s:
                      loadBalancer: {}
                  middlewares:
                    m:
                      addPrefix:
                        prefix: /y
                  serversTransports:
                    t: {}
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(List.of(a, b)));
        String both = ": defined in both " + a + " and " + b;
        assertEquals(List.of("entryPoints.web" + both, "http.services.s" + both, "http.middlewares.m" + both,
                "http.serversTransports.t" + both), e.problems());
    }

    @Test
    void referencesAcrossFilesResolveAndUnknownOnesAreReported(@TempDir Path dir) throws Exception {
        Path routers = write(dir.resolve("routers.toml"), """
                [http.routers.api]
                rule = "PathPrefix(`/`)"
                service = "api"
                entryPoints = ["web"]
                middlewares = ["strip"]
                """);
        Path rest = write(dir.resolve("rest.yml"), """
                entryPoints:
                  web:
                    address: ":8080"
                http:
                  services:
                    api:
                      loadBalancer:
                        serversTransport: fast
                        servers:
                          - url: http://127.0.0.1:9000
                  middlewares:
                    strip:
                      stripPrefix:
                        prefixes: [/api]
                  serversTransports:
                    fast:
                      forwardingTimeouts:
                        dialTimeout: 2s
                """);
        SluiceConfig config = ConfigLoader.load(List.of(routers, rest));
        assertEquals("fast", config.http().services().get("api").loadBalancer().serversTransport());
        assertEquals(Duration.ofSeconds(2), config.http().serversTransports().get("fast").forwardingTimeouts().dialTimeout());

        Path typo = write(dir.resolve("typo.toml"), """
                [http.routers.api]
                rule = "PathPrefix(`/`)"
                service = "apii"
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(List.of(typo, rest)));
        assertEquals(List.of("http.routers.api.service: unknown service \"apii\" (did you mean \"api\"?)"), e.problems());
    }

    @Test
    void relativeStaticRootIsResolvedAgainstTheFilesDirectory(@TempDir Path dir) throws Exception {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Path site = Files.createDirectories(conf.resolve("site"));
        Files.writeString(site.resolve("404.html"), "not here");
        Path main = write(dir.resolve("main.toml"), """
                [entryPoints.web]
                address = ":8080"
                """);
        Path file = write(conf.resolve("static.toml"), """
                [http.routers.site]
                rule = "PathPrefix(`/`)"
                service = "site"

                [http.services.site.static]
                root = "site"
                [http.services.site.static.notFound]
                file = "404.html"
                """);
        assertFalse(Files.exists(Path.of("site")), "the working directory must not have a 'site' directory");

        SluiceConfig config = ConfigLoader.load(List.of(main, file));
        StaticConfig loaded = config.http().services().get("site").staticFiles();
        assertEquals(site.toAbsolutePath().normalize().toString(), loaded.root());
        assertEquals(List.of("index.html"), loaded.index());
        assertEquals(404, loaded.notFound().status());

        // A single file goes through the same resolution.
        Path alone = write(conf.resolve("alone.toml"), """
                [http.services.site.static]
                root = "./site/../site"
                """);
        assertEquals(site.toAbsolutePath().normalize().toString(),
                ConfigLoader.load(List.of(alone)).http().services().get("site").staticFiles().root());

        // And a root that exists only relative to the working directory is not found.
        Path wrong = write(conf.resolve("wrong.toml"), """
                [http.services.s.static]
                root = "src"
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(List.of(wrong)));
        assertEquals(List.of("http.services.s.static.root: not a directory: \"" + conf.resolve("src").toAbsolutePath().normalize() + "\""),
                e.problems());
    }

    @Test
    void missingFilesAndEmptyFileListsAreReported(@TempDir Path dir) {
        Path missing = dir.resolve("missing.toml");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(List.of(missing)));
        assertEquals(List.of(missing + ": no such file"), e.problems());

        ConfigException none = assertThrows(ConfigException.class, () -> ConfigLoader.load(List.of()));
        assertEquals(List.of("no configuration file given"), none.problems());
    }

    @Test
    void syntaxErrorInASecondFileNamesThatFile(@TempDir Path dir) throws Exception {
        Path a = write(dir.resolve("a.toml"), "[entryPoints.web]\naddress = \":8080\"\n");
        Path b = write(dir.resolve("b.toml"), "[http.routers.api]\nrule = \n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(List.of(a, b)));
        assertEquals(1, e.problems().size(), e::getMessage);
        assertTrue(e.problems().get(0).startsWith(b + ": syntax error: line 2, column "), e.problems().get(0));
    }

    // ------------------------------------------------------------------ positive

    @Test
    void quickstartLoadsWithDefaults() throws ConfigException {
        Path file = Path.of("../conf/quickstart.toml");
        SluiceConfig config = ConfigLoader.load(List.of(file));

        assertEquals(List.of("web", "site-a", "site-b"), List.copyOf(config.entryPoints().keySet()));
        assertEquals(":8080", config.entryPoints().get("web").address());
        assertEquals("127.0.0.1:8081", config.entryPoints().get("site-a").address());
        assertFalse(config.entryPoints().get("web").asDefault());
        assertEquals(List.of(), config.entryPoints().get("web").forwardedHeaders().trustedIPs());
        assertFalse(config.entryPoints().get("web").forwardedHeaders().insecure());

        assertEquals(List.of("web", "site-a", "site-b"), List.copyOf(config.http().routers().keySet()));
        RouterConfig web = config.http().routers().get("web");
        assertEquals("PathPrefix(`/`)", web.rule());
        assertEquals("sites", web.service());
        assertEquals(List.of("web"), web.entryPoints());
        assertEquals(List.of(), web.middlewares());
        assertNull(web.priority());
        assertEquals("PathPrefix(`/`)".length(), web.effectivePriority());
        for (RouterConfig router : config.http().routers().values()) {
            assertEquals(router.rule().length(), router.effectivePriority());
        }

        assertEquals(List.of("sites", "site-a", "site-b"), List.copyOf(config.http().services().keySet()));
        LoadBalancerConfig lb = config.http().services().get("sites").loadBalancer();
        assertNull(config.http().services().get("sites").staticFiles());
        assertEquals("wrr", lb.strategy());
        assertTrue(lb.passHostHeader());
        assertNull(lb.serversTransport());
        assertEquals(List.of(
                new LoadBalancerConfig.ServerConfig("http://127.0.0.1:8081", 1, false),
                new LoadBalancerConfig.ServerConfig("http://127.0.0.1:8082", 1, false)), lb.servers());
        for (LoadBalancerConfig.ServerConfig server : lb.servers()) {
            assertEquals(1, server.weight());
            assertFalse(server.preservePath());
        }

        Path confDir = file.toAbsolutePath().getParent().normalize();
        StaticConfig siteA = config.http().services().get("site-a").staticFiles();
        assertNull(config.http().services().get("site-a").loadBalancer());
        assertEquals(confDir.resolve("quickstart/site-a").toString(), siteA.root());
        assertTrue(Files.isDirectory(Path.of(siteA.root())));
        assertEquals(List.of("index.html"), siteA.index());
        assertFalse(siteA.spa());
        assertNull(siteA.notFound());
        assertEquals(confDir.resolve("quickstart/site-b").toString(),
                config.http().services().get("site-b").staticFiles().root());

        assertEquals(0, config.http().middlewares().size());
        assertEquals(0, config.http().serversTransports().size());
    }

    @Test
    void defaultsOfOptionalValues() throws ConfigException {
        SluiceConfig config = ConfigLoader.parse("""
                [http.routers.r]
                rule = "Host(`a.example`)"
                service = "s"
                priority = 0

                [http.routers.p]
                rule = "Host(`a.example`)"
                service = "s"
                priority = -3

                [[http.services.s.loadBalancer.servers]]
                url = "http://127.0.0.1:9000"

                [http.serversTransports.t]

                [http.middlewares.m.stripPrefix]
                prefixes = ["/api"]
                """, "test.toml");
        assertEquals("Host(`a.example`)".length(), config.http().routers().get("r").effectivePriority());
        assertEquals(-3, config.http().routers().get("p").effectivePriority());
        ServersTransportConfig t = config.http().serversTransports().get("t");
        assertEquals(ServersTransportConfig.DEFAULT, t);
        assertEquals(0, t.maxIdleConnsPerHost());
        assertFalse(t.disableHTTP2());
        assertEquals(Duration.ofSeconds(30), t.forwardingTimeouts().dialTimeout());
        assertEquals(Duration.ZERO, t.forwardingTimeouts().responseHeaderTimeout());
        assertEquals(Duration.ofSeconds(90), t.forwardingTimeouts().idleConnTimeout());
    }

    @Test
    void yamlTwinBindsToAnEqualModel() throws ConfigException {
        SluiceConfig fromToml = ConfigLoader.parse("""
                [entryPoints.web]
                address = ":8080"
                asDefault = true
                [entryPoints.web.forwardedHeaders]
                trustedIPs = ["10.0.0.0/8", "::1"]

                [http.routers.api]
                rule = "Host(`api.example.com`) && PathPrefix(`/v1`)"
                service = "api"
                entryPoints = ["web"]
                middlewares = ["strip"]
                priority = 10

                [http.services.api.loadBalancer]
                passHostHeader = false
                strategy = "p2c"
                serversTransport = "fast"
                [[http.services.api.loadBalancer.servers]]
                url = "http://127.0.0.1:9000"
                weight = 3
                [[http.services.api.loadBalancer.servers]]
                url = "h2c://127.0.0.1:9001/base"
                weight = 0
                preservePath = true

                [http.middlewares.strip.stripPrefix]
                prefixes = ["/v1"]

                [http.serversTransports.fast]
                maxIdleConnsPerHost = 64
                disableHTTP2 = true
                [http.serversTransports.fast.forwardingTimeouts]
                dialTimeout = "1m30s"
                responseHeaderTimeout = "150ms"
                idleConnTimeout = 90
                """, "test.toml");
        SluiceConfig fromYaml = ConfigLoader.parse("""
                entryPoints:
                  web:
                    address: ":8080"
                    asDefault: true
                    forwardedHeaders:
                      trustedIPs:
                        - 10.0.0.0/8
                        - "::1"
                http:
                  routers:
                    api:
                      rule: "Host(`api.example.com`) && PathPrefix(`/v1`)"
                      service: api
                      entryPoints: [web]
                      middlewares: [strip]
                      priority: 10
                  services:
                    api:
                      loadBalancer:
                        passHostHeader: false
                        strategy: p2c
                        serversTransport: fast
                        servers:
                          - url: http://127.0.0.1:9000
                            weight: 3
                          - url: h2c://127.0.0.1:9001/base
                            weight: 0
                            preservePath: true
                  middlewares:
                    strip:
                      stripPrefix:
                        prefixes: [/v1]
                  serversTransports:
                    fast:
                      maxIdleConnsPerHost: 64
                      disableHTTP2: true
                      forwardingTimeouts:
                        dialTimeout: 1m30s
                        responseHeaderTimeout: 150ms
                        idleConnTimeout: 90
                """, "test.yaml");
        assertEquals(fromToml, fromYaml);
        assertEquals(Duration.ofSeconds(90), fromYaml.http().serversTransports().get("fast").forwardingTimeouts().dialTimeout());
        assertEquals(Duration.ofMillis(150),
                fromYaml.http().serversTransports().get("fast").forwardingTimeouts().responseHeaderTimeout());
        assertEquals(10, fromYaml.http().routers().get("api").effectivePriority());
        assertEquals(List.of("10.0.0.0/8", "::1"), fromYaml.entryPoints().get("web").forwardedHeaders().trustedIPs());
    }

    private static Path write(Path file, String text) throws IOException {
        return Files.writeString(file, text);
    }

    /** Traefik's file provider ignores the case of keys; its own docs write {@code healthcheck}. */
    @Test
    void keysAreCaseInsensitiveAsInTraefik() throws Exception {
        SluiceConfig config = ConfigLoader.parse("""
                [entryPoints.web]
                address = ":8080"
                [entryPoints.web.forwardedHeaders]
                trustedIps = ["10.0.0.0/8"]
                [http.services.s.loadBalancer]
                servers = [{url = "http://127.0.0.1:9000"}]
                [http.services.s.loadBalancer.healthcheck]
                path = "/health"
                """, "test.toml");
        assertEquals(List.of("10.0.0.0/8"), config.entryPoints().get("web").forwardedHeaders().trustedIPs());
        assertEquals("/health", config.http().services().get("s").loadBalancer().healthCheck().path());
    }

    /** Traefik configurations often qualify names with their provider; {@code @file} is ours. */
    @Test
    void fileProviderSuffixIsAccepted() throws Exception {
        SluiceConfig config = ConfigLoader.parse("""
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "api@file"
                middlewares = ["strip@file"]
                [http.middlewares.strip.stripPrefix]
                prefixes = ["/v1"]
                [http.services.api.weighted]
                services = [{name = "lb@file"}]
                [http.services.lb.loadBalancer]
                serversTransport = "t@file"
                servers = [{url = "http://127.0.0.1:9000"}]
                [http.serversTransports.t]
                """, "test.toml");
        assertEquals("api", config.http().routers().get("r").service());
        assertEquals(List.of("strip"), config.http().routers().get("r").middlewares());
        assertEquals("lb", config.http().services().get("api").weighted().services().get(0).name());
        assertEquals("t", config.http().services().get("lb").loadBalancer().serversTransport());

        ConfigException other = assertThrows(ConfigException.class, () -> ConfigLoader.parse("""
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "api@docker"
                [http.services.api.loadBalancer]
                servers = [{url = "http://127.0.0.1:9000"}]
                """, "test.toml"));
        assertEquals(List.of("http.routers.r.service: unknown service \"api@docker\" (did you mean \"api\"? Sluice serves only names from its files)"), other.problems());
    }
}
