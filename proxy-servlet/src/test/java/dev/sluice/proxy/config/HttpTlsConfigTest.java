package dev.sluice.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.rule.RuleParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HTTP routers' {@code tls}, {@code entryPoints.*.http.tls} and redirections: binding, defaults, warnings and errors. */
class HttpTlsConfigTest {
    private static final String BASE = """
            [entryPoints.web]
            address = ":80"
            [entryPoints.websecure]
            address = ":443"
            [[http.services.s.loadBalancer.servers]]
            url = "http://127.0.0.1:9000"
            """;

    @Test
    void routerTlsBindsAndMakesOnlyItsEntryPointsServeTls() throws Exception {
        SluiceConfig config = ConfigLoader.parse(BASE + """
                [http.routers.api]
                rule = "Host(`api.example.com`)"
                service = "s"
                entryPoints = ["websecure"]
                [http.routers.api.tls]
                options = "modern@file"
                certResolver = "le"
                [[http.routers.api.tls.domains]]
                main = "example.com"
                sans = ["*.example.com"]
                [tls.options.modern]
                minVersion = "VersionTLS13"
                [certificatesResolvers.le.acme]
                email = "a@example.com"
                [certificatesResolvers.le.acme.tlsChallenge]
                """, "t.toml");
        RouterTlsConfig tls = config.http().routers().get("api").tls();
        assertEquals("modern", tls.options());
        assertEquals(List.of(new RouterTlsConfig.Domain("example.com", List.of("*.example.com"))), tls.domains());
        HttpTls routing = HttpTls.of(config);
        assertTrue(routing.servesTls("websecure"));
        assertFalse(routing.servesTls("web"));
        assertEquals(Map.of("api.example.com", "modern"), routing.optionsByHost("websecure"));
        assertTrue(config.warnings().stream().noneMatch(w -> w.contains("certResolver")), config.warnings().toString());
        assertEquals(Map.of("api.example.com", "le", "example.com", "le", "*.example.com", "le"), routing.resolverByHost("websecure"));
        assertEquals(Map.of("le", List.of(List.of("example.com", "*.example.com"))), routing.acmeDomains(),
                "tls.domains, not the Host names, are ordered");
    }

    @Test
    void conflictingOptionsForOneHostFallBackToDefaultWithAWarning() throws Exception {
        SluiceConfig config = ConfigLoader.parse(BASE + """
                [entryPoints.websecure.http.tls]
                options = "modern"
                [http.routers.a]
                rule = "Host(`shop.example.com`) && PathPrefix(`/a`)"
                service = "s"
                [http.routers.b]
                rule = "Host(`shop.example.com`) && PathPrefix(`/b`)"
                service = "s"
                entryPoints = ["websecure"]
                [http.routers.b.tls]
                options = "legacy"
                certResolver = "letsencrypt"
                [tls.options.modern]
                minVersion = "VersionTLS13"
                [tls.options.legacy]
                maxVersion = "VersionTLS12"
                """, "t.toml");
        HttpTls routing = HttpTls.of(config);
        assertEquals(Map.of("shop.example.com", "default"), routing.optionsByHost("websecure"));
        assertFalse(routing.servesTls("web"), "router a has no tls of its own and web no http.tls");
        assertTrue(config.warnings().contains("`entryPoints.websecure`: TLS routers of host shop.example.com name different TLS options"
                + " (modern, legacy); its handshakes get the default options"), config.warnings().toString());
        assertTrue(config.warnings().contains("`http.routers.b.tls.certResolver`: unknown certificate resolver \"letsencrypt\";"
                + " the certificates of [tls] serve"), config.warnings().toString());
    }

    @Test
    void redirectionDefaultsAreTraefiks() throws Exception {
        SluiceConfig config = ConfigLoader.parse(BASE + """
                [entryPoints.web.http.redirections.entryPoint]
                to = "websecure"
                """, "t.toml");
        EntryPointConfig.RedirectEntryPoint redirect = config.entryPoints().get("web").http().redirections().entryPoint();
        assertEquals("https", redirect.scheme());
        assertTrue(redirect.permanent());
        assertEquals(Integer.MAX_VALUE - 1, redirect.priority());
        assertEquals(List.of(), config.warnings());
    }

    @Test
    void errorsNameTheKey() {
        ConfigException unknownOptions = assertThrows(ConfigException.class, () -> ConfigLoader.parse(BASE + """
                [http.routers.a]
                rule = "Host(`a.example.com`)"
                service = "s"
                [http.routers.a.tls]
                options = "modrn"
                [tls.options.modern]
                minVersion = "VersionTLS13"
                """, "t.toml"));
        assertTrue(unknownOptions.getMessage().contains("http.routers.a.tls.options: unknown TLS options \"modrn\" (did you mean \"modern\"?)"),
                unknownOptions.getMessage());
        ConfigException self = assertThrows(ConfigException.class, () -> ConfigLoader.parse(BASE + """
                [entryPoints.web.http.redirections.entryPoint]
                to = "web"
                """, "t.toml"));
        assertTrue(self.getMessage().contains("entryPoints.web.http.redirections.entryPoint.to: an entry point cannot redirect to itself"),
                self.getMessage());
        ConfigException typo = assertThrows(ConfigException.class, () -> ConfigLoader.parse(BASE + """
                [http.routers.a]
                rule = "Host(`a.example.com`)"
                service = "s"
                [http.routers.a.tls]
                certResolvr = "le"
                """, "t.toml"));
        assertTrue(typo.getMessage().contains("http.routers.a.tls.certResolvr: unknown key (did you mean \"certResolver\"?)"), typo.getMessage());
    }

    @Test
    void hostsOfARuleAreItsHostMatchers() {
        assertEquals(List.of("a.example.com", "b.example.com"),
                RuleParser.hosts("(Host(`A.example.com`) || Host(\"b.example.com\")) && PathPrefix(`/x`)"));
        assertEquals(List.of(), RuleParser.hosts("HostRegexp(`.+`) && Path(`/`)"));
    }

    @Test
    void anEntryPointsTlsOptionsWithAProviderSuffixAreFound() throws Exception {
        SluiceConfig config = ConfigLoader.parse("""
                [entryPoints.websecure]
                address = ":443"
                [entryPoints.websecure.http.tls]
                options = "modern@file"
                [http.routers.api]
                rule = "Host(`api.example.com`)"
                service = "s"
                [[http.services.s.loadBalancer.servers]]
                url = "http://127.0.0.1:9000"
                [tls.options.modern]
                minVersion = "VersionTLS13"
                """, "t.toml");
        assertEquals("modern", config.entryPoints().get("websecure").http().tls().options());
        assertEquals(Map.of("api.example.com", "modern"), HttpTls.of(config).optionsByHost("websecure"));
        assertEquals(List.of(), config.warnings());
    }
}
