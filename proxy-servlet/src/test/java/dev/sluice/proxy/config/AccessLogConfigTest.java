package dev.sluice.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.config.AccessLogFormat.Part;
import dev.sluice.proxy.config.AccessLogFormat.Placeholder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code [accessLog]} binds to typed values, its template parsed once; every mistake names its key path. */
class AccessLogConfigTest {
    private static AccessLogConfig parse(String body) throws ConfigException {
        return ConfigLoader.parse("[accessLog]\n" + body, "test.toml").accessLog();
    }

    @Test
    void anEmptySectionIsTraefiksDefaults() throws Exception {
        AccessLogConfig config = parse("");
        assertNull(config.filePath(), "stdout");
        assertEquals(AccessLogFormat.Kind.COMMON, config.format().kind());
        assertEquals(AccessLogConfig.DEFAULT_QUEUE, config.queueCapacity());
        assertTrue(config.filters().keepsAll());
        assertTrue(config.fields().keeps("ClientHost"));
        assertEquals(AccessLogConfig.Mode.DROP, config.fields().headers().mode("User-Agent"), "Traefik drops headers by default");
        assertFalse(config.addInternals());
        assertNull(ConfigLoader.parse("[entryPoints.web]\naddress = \":80\"\n", "t.toml").accessLog(), "no section: no access log");
    }

    @Test
    void everyKeyBinds() throws Exception {
        AccessLogConfig config = parse("""
                filePath = "/var/log/sluice/access.log"
                format = "json"
                bufferingSize = 100
                [filters]
                statusCodes = ["200", "300-302"]
                retryAttempts = true
                minDuration = "10ms"
                [fields]
                defaultMode = "keep"
                [fields.names]
                clientusername = "drop"
                [fields.headers]
                defaultMode = "keep"
                [fields.headers.names]
                User-Agent = "redact"
                Authorization = "drop"
                """.replace("[filters]", "[accessLog.filters]").replace("[fields", "[accessLog.fields"));
        assertEquals("/var/log/sluice/access.log", config.filePath());
        assertEquals(AccessLogFormat.Kind.JSON, config.format().kind());
        assertEquals(100, config.queueCapacity());
        assertEquals(List.of("200", "300-302"), config.filters().statusCodes());
        assertTrue(config.filters().retryAttempts());
        assertEquals(Duration.ofMillis(10), config.filters().minDuration());
        assertFalse(config.fields().keeps("ClientUsername"), "field names are case-insensitive, as Traefik's");
        assertEquals(AccessLogConfig.Mode.REDACT, config.fields().headers().mode("user-agent"));
        assertEquals(AccessLogConfig.Mode.DROP, config.fields().headers().mode("Authorization"));
        assertEquals(AccessLogConfig.Mode.KEEP, config.fields().headers().mode("X-Other"));
    }

    @Test
    void aRelativeFileIsResolvedAgainstTheConfigurationFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("sluice.toml"), "[accessLog]\nfilePath = \"logs/access.log\"\n");
        assertEquals(dir.resolve("logs/access.log").toString(), ConfigLoader.load(List.of(file)).accessLog().filePath());
    }

    @Test
    void aTemplateIsParsedOnceIntoPlaceholders() {
        AccessLogFormat format = AccessLogFormat.of("{host} \"{method}\" {>X-Id} {<Content-Type} {~sid} {:upstream_addr} {a b} {nope");
        assertEquals(AccessLogFormat.Kind.TEMPLATE, format.kind());
        assertEquals(List.of(new Part(Placeholder.HOST, null), new Part(Placeholder.TEXT, " \""), new Part(Placeholder.METHOD, null),
                new Part(Placeholder.TEXT, "\" "), new Part(Placeholder.REQUEST_HEADER, "X-Id"), new Part(Placeholder.TEXT, " "),
                new Part(Placeholder.RESPONSE_HEADER, "Content-Type"), new Part(Placeholder.TEXT, " "), new Part(Placeholder.COOKIE, "sid"),
                new Part(Placeholder.TEXT, " "), new Part(Placeholder.UPSTREAM_ADDR, null), new Part(Placeholder.TEXT, " {a b} {nope")),
                format.parts());
    }

    @Test
    void pingapsPresetsAreTemplatesAndItsCommonIsTraefiks() {
        assertEquals("{method} {uri} {status} {size_human} - {latency}ms", AccessLogFormat.of("tiny").text());
        assertEquals(AccessLogFormat.Kind.TEMPLATE, AccessLogFormat.of("combined").kind());
        assertEquals(AccessLogFormat.Kind.TEMPLATE, AccessLogFormat.of("short").kind());
        assertEquals(AccessLogFormat.Kind.COMMON, AccessLogFormat.of("common").kind());
        assertEquals(AccessLogFormat.Kind.GENERIC_CLF, AccessLogFormat.of("genericCLF").kind());
    }

    @Test
    void environmentPlaceholdersAreReadAtLoad() {
        String path = System.getenv("PATH");
        assertEquals(List.of(new Part(Placeholder.TEXT, "[" + path + "] "), new Part(Placeholder.STATUS, null)),
                AccessLogFormat.of("[{$PATH}] {status}").parts());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "format = \"jsno\"                                | accessLog.format: unknown format \"jsno\" (did you mean \"json\"?)",
        "format = \"{hots} {status}\"                     | accessLog.format: unknown placeholder {hots} (did you mean \"host\"?)",
        "format = \"{:upstream_adr}\"                     | accessLog.format: unknown placeholder {:upstream_adr} (did you mean \":upstream_addr\"?)",
        "format = \"{>}\"                                 | accessLog.format: placeholder {>} needs a name after >",
        "bufferingSize = -1                             | accessLog: bufferingSize: must be 0 or more, got -1",
        "filters.statusCodes = [\"2xx\"]                  | accessLog.filters: invalid status \"2xx\"",
        "filters.statusCodes = [\"500-404\"]              | accessLog.filters: invalid status range \"500-404\": 500 is above 404",
        "filters.minDuration = \"fast\"                   | accessLog.filters.minDuration:",
        "fields.defaultMode = \"redact\"                  | accessLog.fields: defaultMode: redact applies to headers only",
        "fields.names.ClientHots = \"drop\"               | accessLog.fields: names: unknown field \"ClientHots\" (did you mean \"ClientHost\"?)",
        "fields.names.ClientHost = \"hide\"               | accessLog.fields.names.ClientHost: unknown mode \"hide\"; expected one of keep, drop, redact",
        "fields.headers.defaultMode = \"kep\"             | accessLog.fields.headers.defaultMode: unknown mode \"kep\" (did you mean \"keep\"?)",
        "filPath = \"x\"                                  | accessLog.filPath: unknown key (did you mean \"filePath\"?)",
    })
    void mistakesNameTheirKeyPath(String body, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(body));
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("test.toml: " + expected) || p.startsWith(expected)),
                () -> "expected a line starting with\n  " + expected + "\nbut got\n  " + String.join("\n  ", e.problems()));
    }

    @Test
    void twoFilesWithAnAccessLogAreAnError(@TempDir Path dir) throws Exception {
        Path a = Files.writeString(dir.resolve("a.toml"), "[accessLog]\n");
        Path b = Files.writeString(dir.resolve("b.toml"), "[accessLog]\nformat = \"json\"\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(List.of(a, b)));
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("accessLog: defined in both")), e.problems().toString());
    }
}
