package dev.sluice.proxy.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Configuration errors of the service tree (weighted, highestRandomWeight, failover, mirroring) and
 * of the new loadBalancer options (hashKey, sticky, healthCheck, passiveHealthCheck), each asserted
 * by the exact problem line with its key path.
 */
class ServiceConfigErrorsTest {

    /** A router r on service {@code root}, and two plain load balancers {@code backend} and {@code backup}. */
    private static String tree(String root, String services) {
        return """
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "%s"
                [http.services.backend.loadBalancer]
                servers = [{url = "http://127.0.0.1:9001"}]
                [http.services.backup.loadBalancer]
                servers = [{url = "http://127.0.0.1:9002"}]
                """.formatted(root) + services;
    }

    /** Service s, a load balancer with the given extra lines. */
    private static String lb(String lines) {
        return tree("s", """
                [http.services.s.loadBalancer]
                servers = [{url = "http://127.0.0.1:9000"}]
                """ + lines);
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("unknown child service, with suggestion", tree("w", """
                        [http.services.w.weighted]
                        services = [{name = "backend", weight = 3}, {name = "backnd"}]
                        """), "http.services.w.weighted.services[1].name: unknown service \"backnd\" (did you mean \"backend\"?)"),
                Arguments.of("unknown child of highestRandomWeight, nothing close", tree("h", """
                        [http.services.h.highestRandomWeight]
                        services = [{name = "zzz"}]
                        """), "http.services.h.highestRandomWeight.services[0].name: unknown service \"zzz\""),
                Arguments.of("cycle through two weighted services", tree("a", """
                        [http.services.a.weighted]
                        services = [{name = "backend"}, {name = "b"}]
                        [http.services.b.weighted]
                        services = [{name = "a"}]
                        """), "http.services.a: services form a cycle: a -> b -> a"),
                Arguments.of("service that names itself", tree("a", """
                        [http.services.a.failover]
                        service = "backend"
                        fallback = "a"
                        """), "http.services.a: services form a cycle: a -> a"),
                Arguments.of("mirror percent above 100", tree("m", """
                        [http.services.m.mirroring]
                        service = "backend"
                        mirrors = [{name = "backup", percent = 150}]
                        """), "http.services.m.mirroring.mirrors[0].percent: must be between 0 and 100, got 150"),
                Arguments.of("unknown mirror", tree("m", """
                        [http.services.m.mirroring]
                        service = "backend"
                        mirrors = [{name = "backupp", percent = 10}]
                        """), "http.services.m.mirroring.mirrors[0].name: unknown service \"backupp\" (did you mean \"backup\"?)"),
                Arguments.of("unknown hashKey", lb("""
                        strategy = "hash"
                        hashKey = "heder:X-User"
                        """), "http.services.s.loadBalancer.hashKey: unknown hash key \"heder:X-User\"; use ip, url, path, header:Name, cookie:name or query:name"),
                Arguments.of("hashKey without a name", lb("""
                        strategy = "hash"
                        hashKey = "header:"
                        """), "http.services.s.loadBalancer.hashKey: unknown hash key \"header:\"; use ip, url, path, header:Name, cookie:name or query:name"),
                // Passed validation and then threw when the service was built, when the grammar lived in two places.
                Arguments.of("hashKey with a blank name", lb("""
                        strategy = "hash"
                        hashKey = "header: "
                        """), "http.services.s.loadBalancer.hashKey: unknown hash key \"header: \"; use ip, url, path, header:Name, cookie:name or query:name"),
                Arguments.of("named kind in capitals", lb("""
                        strategy = "hash"
                        hashKey = "Header:X-User"
                        """), "http.services.s.loadBalancer.hashKey: unknown hash key \"Header:X-User\"; use ip, url, path, header:Name, cookie:name or query:name"),
                Arguments.of("ip takes no name", lb("""
                        strategy = "hash"
                        hashKey = "ip:x"
                        """), "http.services.s.loadBalancer.hashKey: unknown hash key \"ip:x\"; use ip, url, path, header:Name, cookie:name or query:name"),
                Arguments.of("unknown hashKey, strategy spelt in capitals", lb("""
                        strategy = "HASH"
                        hashKey = "client"
                        """), "http.services.s.loadBalancer.hashKey: unknown hash key \"client\"; use ip, url, path, header:Name, cookie:name or query:name"),
                Arguments.of("sameSite sometimes, loadBalancer", lb("""
                        [http.services.s.loadBalancer.sticky.cookie]
                        sameSite = "sometimes"
                        """), "http.services.s.loadBalancer.sticky.cookie.sameSite: must be none, lax or strict, got \"sometimes\""),
                Arguments.of("sameSite sometimes, weighted", tree("w", """
                        [http.services.w.weighted]
                        services = [{name = "backend"}]
                        [http.services.w.weighted.sticky.cookie]
                        sameSite = "sometimes"
                        """), "http.services.w.weighted.sticky.cookie.sameSite: must be none, lax or strict, got \"sometimes\""),
                Arguments.of("healthCheck without path", lb("""
                        [http.services.s.loadBalancer.healthCheck]
                        interval = "10s"
                        """), "http.services.s.loadBalancer.healthCheck.path: missing path, e.g. \"/health\""),
                Arguments.of("healthCheck {} on a loadBalancer", lb("""
                        healthCheck = {}
                        """), "http.services.s.loadBalancer.healthCheck.path: missing path, e.g. \"/health\""),
                Arguments.of("healthCheck path is a URL", lb("""
                        healthCheck = {path = "http://x/health"}
                        """), "http.services.s.loadBalancer.healthCheck.path: must be a path, not a URL: \"http://x/health\""),
                Arguments.of("healthCheck mode tcp", lb("""
                        healthCheck = {path = "/health", mode = "tcp"}
                        """), "http.services.s.loadBalancer.healthCheck.mode: must be http or grpc, got \"tcp\""),
                Arguments.of("passive maxFailedAttempts 0", lb("""
                        passiveHealthCheck = {maxFailedAttempts = 0}
                        """), "http.services.s.loadBalancer.passiveHealthCheck.maxFailedAttempts: must be 1 or more, got 0"),
                Arguments.of("failover with unknown fallback", tree("f", """
                        [http.services.f.failover]
                        service = "backend"
                        fallback = "bakup"
                        """), "http.services.f.failover.fallback: unknown service \"bakup\" (did you mean \"backup\"?)"),
                Arguments.of("failover without fallback", tree("f", """
                        [http.services.f.failover]
                        service = "backend"
                        """), "http.services.f.failover.fallback: missing service name"),
                Arguments.of("failover errors status that is no status", tree("f", """
                        [http.services.f.failover]
                        service = "backend"
                        fallback = "backup"
                        errors = {status = ["5xx"]}
                        """), "http.services.f.failover.errors.status[0]: expected a status or a range like \"500-504\", got \"5xx\""),
                Arguments.of("healthCheck {} on weighted whose child has none", tree("w", """
                        [http.services.w.weighted]
                        healthCheck = {}
                        services = [{name = "checked"}, {name = "backend"}]
                        [http.services.checked.loadBalancer]
                        servers = [{url = "http://127.0.0.1:9003"}]
                        healthCheck = {path = "/health"}
                        """), "http.services.w.weighted.services[1].name: service \"backend\" has no health check, so healthCheck {} here"
                        + " cannot follow it; add a healthCheck to it (a loadBalancer's healthCheck, or healthCheck {} on a service of services)"),
                Arguments.of("healthCheck {} on failover over a weighted without one", tree("f", """
                        [http.services.f.failover]
                        healthCheck = {}
                        service = "w"
                        fallback = "backup"
                        [http.services.backup.loadBalancer.healthCheck]
                        path = "/health"
                        [http.services.w.weighted]
                        services = [{name = "backup"}]
                        """), "http.services.f.failover.service: service \"w\" has no health check, so healthCheck {} here"
                        + " cannot follow it; add a healthCheck to it (a loadBalancer's healthCheck, or healthCheck {} on a service of services)"),
                Arguments.of("weighted without services", tree("w", """
                        [http.services.w.weighted]
                        services = []
                        """), "http.services.w.weighted.services: at least one service required"),
                Arguments.of("negative child weight", tree("w", """
                        [http.services.w.weighted]
                        services = [{name = "backend", weight = -1}]
                        """), "http.services.w.weighted.services[0].weight: must be 0 or more, got -1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void reportsProblem(String label, String toml, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(toml, "test.toml"), label);
        assertTrue(e.problems().contains(expected), () -> "expected the line\n  " + expected + "\nbut got\n  "
                + String.join("\n  ", e.problems()));
        for (String problem : e.problems()) {
            assertFalse(problem.contains("\n"), () -> "a problem must be one line: " + problem);
        }
    }

    @Test
    void aCycleIsReportedOnceForEachServiceInIt() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(tree("a", """
                [http.services.a.weighted]
                services = [{name = "b"}]
                [http.services.b.weighted]
                services = [{name = "a"}]
                """), "test.toml"));
        assertEquals(List.of("http.services.a: services form a cycle: a -> b -> a",
                "http.services.b: services form a cycle: b -> a -> b"), e.problems());
    }

    @Test
    void serviceTreeWithHealthChecksAtEveryLevelLoads() throws ConfigException {
        SluiceConfig config = ConfigLoader.parse(tree("top", """
                [http.services.top.weighted]
                healthCheck = {}
                services = [{name = "fo", weight = 2}, {name = "checked"}]
                [http.services.fo.failover]
                healthCheck = {}
                service = "checked"
                fallback = "checked2"
                [http.services.fo.failover.errors]
                status = ["500", "502-504"]
                maxRequestBodyBytes = 1024
                [http.services.checked.loadBalancer]
                servers = [{url = "http://127.0.0.1:9003"}]
                healthCheck = {path = "/health", interval = "300ms", timeout = "200ms"}
                [http.services.checked2.loadBalancer]
                servers = [{url = "http://127.0.0.1:9004"}]
                [http.services.checked2.loadBalancer.healthCheck]
                path = "/health"
                """), "test.toml");
        FailoverConfig failover = config.http().services().get("fo").failover();
        assertNotNull(failover.healthCheck());
        assertEquals(List.of("500", "502-504"), failover.errors().status());
        assertEquals(1024, failover.errors().maxRequestBodyBytes());
        assertNotNull(config.http().services().get("top").weighted().healthCheck());
    }

    @Test
    void yamlEmptyHealthCheckLoads() {
        assertDoesNotThrow(() -> ConfigLoader.parse("""
                http:
                  routers:
                    r: {rule: "PathPrefix(`/`)", service: app}
                  services:
                    app:
                      highestRandomWeight:
                        healthCheck: {}
                        services: [{name: v1, weight: 1}]
                    v1:
                      loadBalancer:
                        servers: [{url: "http://127.0.0.1:9001"}]
                        healthCheck: {path: /health}
                """, "test.yaml"));
    }

    @Test
    void healthCheckDefaults() throws ConfigException {
        SluiceConfig config = ConfigLoader.parse(lb("""
                healthCheck = {path = "/health", timeout = "2s", interval = "1s"}
                passiveHealthCheck = {}
                """), "test.toml");
        LoadBalancerConfig lb = config.http().services().get("s").loadBalancer();
        assertEquals("http", lb.healthCheck().mode());
        assertEquals(java.time.Duration.ofSeconds(3), lb.healthCheck().interval(), "interval not above timeout: timeout + 1s");
        assertEquals(lb.healthCheck().interval(), lb.healthCheck().unhealthyInterval());
        assertEquals("GET", lb.healthCheck().method());
        assertTrue(lb.healthCheck().followRedirects());
        assertEquals(1, lb.passiveHealthCheck().maxFailedAttempts());
        assertEquals(java.time.Duration.ofSeconds(10), lb.passiveHealthCheck().failureWindow());
    }
}
