package dev.sluice.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code [api]} and {@code [ping]} as Traefik's internal provider turns them into routers, the
 * implicit {@code traefik} entry point (on 127.0.0.1:8080 in Sluice), and the errors for internal
 * service names.
 */
class InternalRoutingTest {
    private static final String WEB = """
            [entryPoints.web]
            address = "127.0.0.1:0"
            [http.routers.r]
            rule = "PathPrefix(`/`)"
            service = "s"
            [[http.services.s.loadBalancer.servers]]
            url = "http://127.0.0.1:1"
            """;

    private static SluiceConfig parse(String toml) throws ConfigException {
        return ConfigLoader.parse(toml, "test.toml");
    }

    @Test
    void apiInsecureAddsTheTraefikEntryPointOnLoopbackAndTraefiksInternalRouters() throws Exception {
        SluiceConfig config = parse(WEB + "[api]\ninsecure = true\ndebug = true\n");
        assertEquals("127.0.0.1:8080", config.entryPoints().get("traefik").address());
        RouterConfig api = config.http().routers().get("api@internal");
        assertEquals("PathPrefix(`/api`)", api.rule().text());
        assertEquals("api@internal", api.service());
        assertEquals(List.of("traefik"), api.entryPoints());
        assertEquals(Integer.MAX_VALUE - 1, api.effectivePriority());
        RouterConfig dashboard = config.http().routers().get("dashboard@internal");
        assertEquals("PathPrefix(`/`)", dashboard.rule().text());
        assertEquals(Integer.MAX_VALUE - 2, dashboard.effectivePriority());
        assertEquals("PathPrefix(`/debug`)", config.http().routers().get("debug@internal").rule().text());
        assertEquals("api@internal", config.http().routers().get("debug@internal").service());
        // A router without entryPoints stays off the admin port (Traefik's getDefaultsEntrypoints).
        assertEquals(List.of("web"), EntryPointRoles.of(config).attach(EntryPointRoles.Role.HTTP, List.of()));
    }

    @Test
    void apiWithoutInsecureAddsNothingARouterMustNameIt() throws Exception {
        SluiceConfig config = parse(WEB + "[api]\ndashboard = false\n");
        assertEquals(List.of("web"), List.copyOf(config.entryPoints().keySet()));
        assertEquals(List.of("r"), List.copyOf(config.http().routers().keySet()));
    }

    @Test
    void pingGetsItsRouterOnTheTraefikEntryPointByDefaultAtTheHighestPriority() throws Exception {
        SluiceConfig config = parse(WEB + "[ping]\n");
        assertEquals("127.0.0.1:8080", config.entryPoints().get("traefik").address());
        RouterConfig ping = config.http().routers().get("ping@internal");
        assertEquals("PathPrefix(`/ping`)", ping.rule().text());
        assertEquals(Integer.MAX_VALUE, ping.effectivePriority());
        assertEquals(List.of("traefik"), ping.entryPoints());
        assertEquals(503, config.ping().terminatingStatusCode());
    }

    @Test
    void pingOnAnEntryPointOfItsOwnNeedsNoTraefikEntryPoint() throws Exception {
        SluiceConfig config = parse(WEB + "[ping]\nentryPoint = \"web\"\nterminatingStatusCode = 204\n");
        assertFalse(config.entryPoints().containsKey("traefik"));
        assertEquals(List.of("web"), config.http().routers().get("ping@internal").entryPoints());
        assertEquals(204, config.ping().terminatingStatusCode());
    }

    @Test
    void manualRoutingAddsNeitherRouterNorEntryPoint() throws Exception {
        SluiceConfig config = parse(WEB + "[ping]\nmanualRouting = true\n");
        assertFalse(config.entryPoints().containsKey("traefik"));
        assertNull(config.http().routers().get("ping@internal"));
    }

    @Test
    void aDeclaredTraefikEntryPointIsKeptAsWritten() throws Exception {
        SluiceConfig config = parse(WEB + "[entryPoints.traefik]\naddress = \"0.0.0.0:9000\"\n[api]\ninsecure = true\n");
        assertEquals("0.0.0.0:9000", config.entryPoints().get("traefik").address());
    }

    @Test
    void aRouterMayNameAnInternalServiceThatExists() throws Exception {
        SluiceConfig config = parse(WEB.replace("service = \"s\"", "service = \"api@internal\"") + "[api]\n");
        assertEquals("api@internal", config.http().routers().get("r").service());
        assertTrue(InternalServiceNames.isInternal(config.http().routers().get("r").service()));
    }

    private static List<String> problems(String toml) {
        return assertThrows(ConfigException.class, () -> parse(toml)).problems();
    }

    @Test
    void internalServiceNamesAreCheckedWithTheKeyPath() {
        assertEquals(List.of("http.routers.r.service: unknown internal service \"apii@internal\" (did you mean \"api@internal\"?)"),
                problems(WEB.replace("service = \"s\"", "service = \"apii@internal\"") + "[api]\n"));
        assertEquals(List.of("http.routers.r.service: internal service \"api@internal\" needs an [api] section"),
                problems(WEB.replace("service = \"s\"", "service = \"api@internal\"")));
        assertEquals(List.of("http.routers.r.service: internal service \"ping@internal\" needs a [ping] section"),
                problems(WEB.replace("service = \"s\"", "service = \"ping@internal\"")));
        assertEquals(List.of("http.routers.r.service: internal service \"dashboard@internal\" needs [api] with dashboard = true"),
                problems(WEB.replace("service = \"s\"", "service = \"dashboard@internal\"") + "[api]\ndashboard = false\n"));
        assertEquals(List.of("http.routers.r.service: internal service \"prometheus@internal\" needs a [metrics.prometheus] section"),
                problems(WEB.replace("service = \"s\"", "service = \"prometheus@internal\"")));
        assertEquals(List.of("http.routers.r.service: internal service \"rest@internal\" not supported by Sluice (it has no REST provider)"),
                problems(WEB.replace("service = \"s\"", "service = \"rest@internal\"")));
    }

    @Test
    void staticSectionsAreValidatedWithTheKeyPath() {
        assertEquals(List.of("ping.entryPoint: unknown entry point \"wbe\" (did you mean \"web\"?)"),
                problems(WEB + "[ping]\nentryPoint = \"wbe\"\n"));
        assertEquals(List.of("ping.terminatingStatusCode: must be an HTTP status from 100 to 599, got 42"),
                problems(WEB + "[ping]\nterminatingStatusCode = 42\n"));
        assertEquals(List.of("api.basePath: must start with / and hold only letters, digits and / _ . : ~ -, got \"admin\""),
                problems(WEB + "[api]\nbasePath = \"admin\"\n"));
        assertTrue(problems(WEB + "[api]\ninsecur = true\n").get(0)
                .startsWith("test.toml: api.insecur: unknown key (did you mean \"insecure\"?)"));
        assertEquals(List.of("http.routers.x@internal: the names ending in @internal are Sluice's own routers; choose another name"),
                problems(WEB + "[http.routers.\"x@internal\"]\nrule = \"Path(`/`)\"\nservice = \"s\"\n"));
    }

    @Test
    void theDashboardIsBuiltSoItsDefaultWarnsOfNothing() throws Exception {
        assertEquals(List.of(), parse(WEB + "[api]\n").warnings());
        assertEquals(List.of(), parse(WEB + "[api]\ndashboard = false\n[ping]\n").warnings());
    }
}
