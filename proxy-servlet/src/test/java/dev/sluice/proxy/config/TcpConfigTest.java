package dev.sluice.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code tcp} and {@code udp} sections: binding, defaults, entry point roles, and every error with its key path. */
class TcpConfigTest {
    private static final String BASE = """
            [entryPoints.db]
            address = ":5432"
            [tcp.services.pg.loadBalancer]
            [[tcp.services.pg.loadBalancer.servers]]
            address = "127.0.0.1:9001"
            """;

    private static String router(String lines) {
        return BASE + "[tcp.routers.r]\nservice = \"pg\"\nentryPoints = [\"db\"]\n" + lines + "\n";
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("missing rule", router(""), "tcp.routers.r.rule: missing rule, e.g. rule = \"HostSNI(`*`)\""),
                Arguments.of("HTTP matcher in a TCP rule", router("rule = \"Host(`a`)\""),
                        "tcp.routers.r.rule: invalid rule \"Host(`a`)\": column 1: unknown matcher \"Host\" (did you mean \"HostSNI\"? Host is an HTTP matcher)"),
                Arguments.of("SNI without tls", router("rule = \"HostSNI(`db.example.com`)\""),
                        "tcp.routers.r.rule: \"HostSNI(`db.example.com`)\" reads the TLS ClientHello (HostSNI with a name, HostSNIRegexp, ALPN);"
                                + " add [tcp.routers.r.tls] to terminate TLS (with passthrough = true to relay it encrypted),"
                                + " or use HostSNI(`*`) for plain TCP"),
                Arguments.of("ACME", router("rule = \"HostSNI(`a`)\"\n[tcp.routers.r.tls]\ncertResolver = \"le\""),
                        "tcp.routers.r.tls.certResolver: ACME certificate resolvers are not supported yet; load the certificate with"
                                + " [[tls.certificates]] certFile/keyFile"),
                Arguments.of("unknown service", BASE + "[tcp.routers.r]\nrule = \"HostSNI(`*`)\"\nservice = \"pgg\"",
                        "tcp.routers.r.service: unknown TCP service \"pgg\" (did you mean \"pg\"?)"),
                Arguments.of("unknown middleware", router("rule = \"HostSNI(`*`)\"\nmiddlewares = [\"nope\"]"),
                        "tcp.routers.r.middlewares[0]: unknown TCP middleware \"nope\""),
                Arguments.of("unknown key", router("rule = \"HostSNI(`*`)\"\nprioriti = 3"), "prioriti"),
                Arguments.of("bad server address", BASE + "[[tcp.services.pg.loadBalancer.servers]]\naddress = \"10.0.0.1\"",
                        "tcp.services.pg.loadBalancer.servers[1].address: invalid address \"10.0.0.1\": expected host:port or :port"),
                Arguments.of("address with a path", BASE + "[[tcp.services.pg.loadBalancer.servers]]\naddress = \"10.0.0.1:80/\"",
                        "tcp.services.pg.loadBalancer.servers[1].address: invalid address \"10.0.0.1:80/\": protocol must be tcp or udp"),
                Arguments.of("proxy protocol version", BASE + "[tcp.services.pg.loadBalancer.proxyProtocol]\nversion = 3",
                        "tcp.services.pg.loadBalancer.proxyProtocol.version: must be 1 or 2, got 3"),
                Arguments.of("unknown strategy", BASE.replace("[tcp.services.pg.loadBalancer]\n", "[tcp.services.pg.loadBalancer]\nstrategy = \"p2cc\"\n"),
                        "tcp.services.pg.loadBalancer.strategy: unknown strategy \"p2cc\" (did you mean \"p2c\"?); known: wrr, random, p2c, hrw, leasttime, hash"),
                Arguments.of("leasttime times HTTP responses", BASE.replace("[tcp.services.pg.loadBalancer]\n", "[tcp.services.pg.loadBalancer]\nstrategy = \"leasttime\"\n"),
                        "tcp.services.pg.loadBalancer.strategy: strategy \"leasttime\" times HTTP responses, it cannot pick for a connection;"
                                + " known for TCP: wrr, random, p2c, hrw, hash"),
                Arguments.of("weighted unknown child", BASE + "[[tcp.services.w.weighted.services]]\nname = \"pq\"",
                        "tcp.services.w.weighted.services[0].name: unknown TCP service \"pq\" (did you mean \"pg\"?)"),
                Arguments.of("two kinds", BASE + "[[tcp.services.pg.weighted.services]]\nname = \"pg\"",
                        "tcp.services.pg: exactly one service kind allowed, found loadBalancer and weighted"),
                Arguments.of("inFlightConn amount", BASE + "[tcp.middlewares.m.inFlightConn]\namount = 0",
                        "tcp.middlewares.m.inFlightConn.amount: must be 1 or more, got 0"),
                Arguments.of("ipAllowList range", BASE + "[tcp.middlewares.m.ipAllowList]\nsourceRange = [\"10.0.0.300\"]",
                        "tcp.middlewares.m.ipAllowList.sourceRange[0]: invalid IP or CIDR \"10.0.0.300\""),
                Arguments.of("transport spiffe", BASE + "[tcp.serversTransports.t.tls.spiffe]\ntrustDomain = \"example.org\"",
                        "tcp.serversTransports.t.tls.spiffe: SPIFFE is not supported; use rootCAs and peerCertSANs"),
                Arguments.of("unknown transport", BASE.replace("[[tcp", "serversTransport = \"tt\"\n[[tcp"),
                        "tcp.services.pg.loadBalancer.serversTransport: unknown TCP serversTransport \"tt\""),
                Arguments.of("trusted IPs", BASE + "[entryPoints.db.proxyProtocol]\ntrustedIPs = [\"x\"]",
                        "entryPoints.db.proxyProtocol.trustedIPs[0]: invalid IP or CIDR \"x\""),
                Arguments.of("UDP router on a TCP entry point", BASE + "[udp.routers.u]\nentryPoints = [\"db\"]\nservice = \"dns\"\n"
                                + "[[udp.services.dns.loadBalancer.servers]]\naddress = \"127.0.0.1:53\"",
                        "udp.routers.u.entryPoints[0]: entry point \"db\" is not a UDP entry point (its address must end in /udp)"),
                Arguments.of("TCP option on UDP", "[[udp.services.dns.loadBalancer.servers]]\naddress = \"127.0.0.1:53\"\n"
                                + "[udp.services.dns.loadBalancer.proxyProtocol]",
                        "udp.services.dns.loadBalancer.proxyProtocol: not an option of UDP services (TCP only)"),
                Arguments.of("weighted health over an unchecked child", BASE + "[tcp.services.w.weighted.healthCheck]\n"
                                + "[[tcp.services.w.weighted.services]]\nname = \"pg\"",
                        "tcp.services.w.weighted.services[0].name: service \"pg\" has no health check, so healthCheck {} here cannot"
                                + " follow it; add a healthCheck to it (a loadBalancer's healthCheck, or healthCheck {} on a weighted service)"),
                Arguments.of("UDP weighted health", "[[udp.services.dns.loadBalancer.servers]]\naddress = \"127.0.0.1:53\"\n"
                                + "[udp.services.w.weighted.healthCheck]\n[[udp.services.w.weighted.services]]\nname = \"dns\"",
                        "udp.services.w.weighted.healthCheck: not an option of UDP services (TCP only)"),
                Arguments.of("negative idle timeout", BASE + "[entryPoints.db.transport.respondingTimeouts]\nidleTimeout = \"-1s\"",
                        "entryPoints.db.transport.respondingTimeouts.idleTimeout: must be 0 (never) or more, got -1s"),
                Arguments.of("negative read timeout", BASE + "[entryPoints.db.transport.respondingTimeouts]\nreadTimeout = \"-1s\"",
                        "entryPoints.db.transport.respondingTimeouts.readTimeout: must be 0 (no limit) or more, got -1s"),
                Arguments.of("misspelt responding timeout", BASE + "[entryPoints.db.transport.respondingTimeouts]\nreadTimeot = \"0s\"",
                        "unknown key (did you mean \"readTimeout\"?)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void reportsProblem(String label, String text, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(text, "test.toml"), label);
        assertTrue(e.problems().stream().anyMatch(p -> p.equals(expected) || (!expected.contains(":") && p.contains(expected))),
                () -> "expected\n  " + expected + "\nbut got\n  " + String.join("\n  ", e.problems()));
    }

    @Test
    void bindsEveryOptionWithTraefiksDefaults() throws ConfigException {
        SluiceConfig config = ConfigLoader.parse(BASE + """
                [entryPoints.dns]
                address = ":53/udp"
                [entryPoints.dns.udp]
                timeout = "10s"
                [entryPoints.db.proxyProtocol]
                insecure = true
                [tcp.routers.sni]
                rule = "HostSNI(`db.example.com`) && ALPN(`postgresql`)"
                service = "pg@file"
                middlewares = ["limit@file"]
                [tcp.routers.sni.tls]
                passthrough = true
                [tcp.middlewares.limit.inFlightConn]
                amount = 3
                [tcp.serversTransports.slow]
                dialTimeout = "2s"
                [tcp.services.pp.loadBalancer]
                serversTransport = "slow@file"
                terminationDelay = 200
                [tcp.services.pp.loadBalancer.proxyProtocol]
                [[tcp.services.pp.loadBalancer.servers]]
                address = "127.0.0.1:9002"
                weight = 3
                [udp.routers.u]
                service = "resolvers"
                [[udp.services.resolvers.loadBalancer.servers]]
                address = "127.0.0.1:5353"
                """, "test.toml");
        TcpRouterConfig sni = config.tcp().routers().get("sni");
        assertEquals("pg", sni.service());
        assertEquals(List.of("limit"), sni.middlewares());
        assertTrue(sni.tls().passthrough());
        TcpLoadBalancerConfig pp = config.tcp().services().get("pp").loadBalancer();
        assertEquals(2, pp.proxyProtocol().version(), "an empty proxyProtocol block means version 2");
        assertEquals(200, pp.terminationDelay());
        assertEquals("slow", pp.serversTransport());
        assertEquals(3, pp.servers().get(0).weight());
        assertEquals(Duration.ofSeconds(2), config.tcp().serversTransports().get("slow").dialTimeout());
        assertEquals(Duration.ofMillis(100), TcpServersTransportConfig.DEFAULT.terminationDelay());
        assertEquals(Duration.ofSeconds(30), TcpServersTransportConfig.DEFAULT.dialTimeout());
        assertEquals(Duration.ofSeconds(10), config.entryPoints().get("dns").udp().timeout());
        assertTrue(config.entryPoints().get("db").proxyProtocol().enabled());
        EntryPointRoles roles = EntryPointRoles.of(config);
        assertEquals(EntryPointRoles.Role.TCP, roles.role("db"));
        assertEquals(EntryPointRoles.Role.UDP, roles.role("dns"));
        assertEquals(List.of("dns"), roles.attach(EntryPointRoles.Role.UDP, config.udp().routers().get("u").entryPoints()));
    }

    @Test
    void entryPointRoles() throws ConfigException {
        SluiceConfig config = ConfigLoader.parse("""
                [entryPoints.web]
                address = ":8080"
                [entryPoints.raw]
                address = ":9000/tcp"
                [entryPoints.smtp]
                address = ":25"
                [http.routers.h]
                rule = "PathPrefix(`/`)"
                service = "s"
                [[http.services.s.loadBalancer.servers]]
                url = "http://127.0.0.1:1"
                [tcp.routers.mail]
                rule = "HostSNI(`*`)"
                service = "pg"
                entryPoints = ["smtp"]
                [tcp.routers.any]
                rule = "HostSNI(`*`)"
                service = "pg"
                [[tcp.services.pg.loadBalancer.servers]]
                address = "127.0.0.1:9001"
                """, "test.toml");
        EntryPointRoles roles = EntryPointRoles.of(config);
        assertEquals(EntryPointRoles.Role.HTTP, roles.role("web"));
        assertEquals(EntryPointRoles.Role.TCP, roles.role("raw"));
        assertEquals(EntryPointRoles.Role.TCP, roles.role("smtp"), "named by a TCP router only");
        assertEquals(List.of("raw", "smtp"), roles.attach(EntryPointRoles.Role.TCP, List.of()));
        assertEquals(List.of("web"), roles.attach(EntryPointRoles.Role.HTTP, List.of()));
        assertEquals(List.of(), roles.shared());
    }

    @Test
    void anEntryPointNamedByHttpAndTcpRoutersIsShared() throws ConfigException {
        SluiceConfig config = ConfigLoader.parse(BASE + """
                [entryPoints.raw]
                address = ":9000/tcp"
                [tcp.routers.t]
                rule = "HostSNI(`*`)"
                service = "pg"
                entryPoints = ["db"]
                [http.routers.h]
                rule = "PathPrefix(`/`)"
                service = "s"
                entryPoints = ["db", "raw"]
                [[http.services.s.loadBalancer.servers]]
                url = "http://127.0.0.1:1"
                """, "test.toml");
        EntryPointRoles roles = EntryPointRoles.of(config);
        assertEquals(List.of("db", "raw"), roles.shared(), "named by both, or /tcp and named by an HTTP router");
        assertEquals(EntryPointRoles.Role.HTTP, roles.role("db"));
        assertTrue(roles.relayed("db") && roles.relayed("raw"));
        assertEquals(List.of("db", "raw"), roles.attach(EntryPointRoles.Role.TCP, List.of()), "TCP routers without entryPoints join shared ones");
    }

    @Test
    void tcpSectionsMergeAcrossFilesAndDuplicatesAreReported(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.toml");
        Path b = dir.resolve("b.toml");
        Files.writeString(a, BASE);
        Files.writeString(b, "[tcp.routers.r]\nrule = \"HostSNI(`*`)\"\nservice = \"pg\"\n");
        SluiceConfig merged = ConfigLoader.load(List.of(a, b));
        assertEquals("pg", merged.tcp().routers().get("r").service());
        assertFalse(merged.tcp().services().isEmpty());
        Files.writeString(b, "[[tcp.services.pg.loadBalancer.servers]]\naddress = \"127.0.0.1:1\"\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(List.of(a, b)));
        assertEquals(List.of("tcp.services.pg: defined in both " + a + " and " + b), e.problems());
    }
}
