package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void checkValidatesTheQuickstart() {
        assertEquals(0, run("--config", "../conf/quickstart.toml", "--check"));
        assertEquals("configuration OK: 3 entry points, 3 routers, 3 services, 0 middlewares", out.toString().trim());
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
