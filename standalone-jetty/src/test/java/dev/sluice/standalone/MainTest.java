package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: usage, validation, and exit codes. */
class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void helpPrintsUsage() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("--config=FILE"), out.toString());
        assertTrue(out.toString().contains("--check"));
    }

    @Test
    void missingConfigOptionIsAUsageError() {
        assertEquals(2, run());
        assertTrue(err.toString().contains("Missing required option: '--config=FILE'"), err.toString());
    }

    @Test
    void anUnknownTlsProviderIsAUsageErrorBeforeAnythingListens() {
        assertEquals(2, run("run", "--config", "../conf/quickstart.toml", "--tls-provider", "openssl"));
        assertTrue(err.toString().contains("--tls-provider: unknown provider \"openssl\"; known: auto, jdk, conscrypt"), err.toString());
    }

    private static final String QUICKSTART_SUMMARY = "configuration OK: 3 entry points; HTTP: 3 routers, 3 services, 0 middlewares;"
            + " TCP: 0 routers, 0 services, 0 middlewares; UDP: 0 routers, 0 services";

    @Test
    void checkValidatesTheQuickstart() {
        assertEquals(0, run("check", "--config", "../conf/quickstart.toml"));
        assertEquals(QUICKSTART_SUMMARY, out.toString().trim());
    }

    @Test
    void theOldCheckFlagStillValidates() {
        assertEquals(0, run("--config", "../conf/quickstart.toml", "--check"));
        assertEquals(QUICKSTART_SUMMARY, out.toString().trim());
    }

    @Test
    void checkPrintsTheWarningsThenOneLinePerProtocol(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("traefik.yaml");
        Files.writeString(config, """
                entryPoints:
                  web:
                    address: "127.0.0.1:0"
                    http:
                      redirections:
                        entryPoint: {to: websecure}
                  dns:
                    address: "127.0.0.1:0/udp"
                api: {dashboard: true}
                metrics:
                  prometheus: {}
                providers:
                  docker: {}
                tcp:
                  routers:
                    db: {rule: "HostSNI(`*`)", service: db, entryPoints: [web]}
                  services:
                    db:
                      loadBalancer:
                        servers: [{address: "127.0.0.1:5432"}]
                udp:
                  routers:
                    dns: {service: dns, entryPoints: [dns]}
                  services:
                    dns:
                      loadBalancer:
                        servers: [{address: "127.0.0.1:53"}]
                """);
        assertEquals(0, run("check", "--config", config.toString()));
        assertEquals(List.of(
                "warning: `entryPoints.web.http.redirections.entryPoint.to`: unknown entry point \"websecure\", no redirection",
                "warning: `providers.docker`: not supported by Sluice, ignored",
                // [metrics.prometheus] brings the implicit traefik entry point and its prometheus@internal router.
                "configuration OK: 3 entry points; HTTP: 1 routers, 0 services, 0 middlewares;"
                        + " TCP: 1 routers, 1 services, 0 middlewares; UDP: 1 routers, 1 services"),
                out.toString().lines().toList());
    }

    @Test
    void checkExitsWith2OnErrorsWithTheSuggestion(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("traefik.toml");
        Files.writeString(config, "[metrix.prometheus]\n");
        assertEquals(2, run("check", "--config", config.toString()));
        assertTrue(err.toString().contains("metrix: unknown key (did you mean \"metrics\"?)"), err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void checkNeedsAConfig() {
        assertEquals(2, run("check"));
        assertTrue(err.toString().contains("Missing required option: '--config=FILE'"), err.toString());
    }

    @Test
    void versionCommandAndFlag() {
        assertEquals(0, run("version"));
        assertEquals(Main.VERSION, out.toString().trim());
        out.getBuffer().setLength(0);
        assertEquals(0, run("--version"));
        assertEquals(Main.VERSION, out.toString().trim());
    }

    @Test
    void helpListsTheCommands() {
        assertEquals(0, run("--help"));
        for (String command : List.of("run", "check", "version")) {
            assertTrue(out.toString().contains("  " + command + " "), out.toString());
        }
    }

    @Test
    void runReportsConfigErrorsAsTheDefaultDoes(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("empty.toml");
        Files.writeString(config, "");
        assertEquals(2, run("run", "--config", config.toString()));
        assertTrue(err.toString().contains("entryPoints: none defined"), err.toString());
    }

    @Test
    void configErrorsExitWith2AndNameTheKeyPath(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.toml");
        Files.writeString(bad, """
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.api]
                rule = "Host(`a`)"
                service = "apii"
                [http.services.api.loadBalancer]
                servers = [{url = "http://127.0.0.1:1"}]
                """);
        assertEquals(2, run("--config", bad.toString()));
        assertTrue(err.toString().contains("http.routers.api.service: unknown service \"apii\" (did you mean \"api\"?)"), err.toString());
    }

    @Test
    void missingFileIsAConfigError() {
        assertEquals(2, run("--config", "/nonexistent/sluice.toml"));
        assertTrue(err.toString().contains("/nonexistent/sluice.toml: no such file"), err.toString());
    }

    @Test
    void noEntryPointsIsAConfigError(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("empty.toml");
        Files.writeString(config, "");
        assertEquals(2, run("--config", config.toString()));
        assertTrue(err.toString().contains("entryPoints: none defined"), err.toString());
    }
}
