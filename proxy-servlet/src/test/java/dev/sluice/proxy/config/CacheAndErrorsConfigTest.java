package dev.sluice.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.config.middleware.CacheConfig;
import dev.sluice.proxy.config.middleware.ErrorsConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Options, defaults and configuration errors of the {@code errors} and {@code cache} middlewares. */
class CacheAndErrorsConfigTest {
    private static final String BASE = """
            [http.routers.r]
            rule = "PathPrefix(`/`)"
            service = "app"
            middlewares = ["m"]
            [http.services.app.loadBalancer]
            servers = [{url = "http://127.0.0.1:9000"}]
            [http.services.pages.loadBalancer]
            servers = [{url = "http://127.0.0.1:9001"}]
            """;

    private static SluiceConfig parse(String middleware) throws ConfigException {
        return ConfigLoader.parse(BASE + middleware, "test.toml");
    }

    private static void rejects(String middleware, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(middleware));
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith(expected) || p.startsWith("test.toml: " + expected)),
                () -> "expected a line starting with\n  " + expected + "\nbut got\n  " + String.join("\n  ", e.problems()));
    }

    @Test
    void errorsOptionsBindWithTraefiksNamesAndDefaults() throws Exception {
        ErrorsConfig errors = (ErrorsConfig) parse("""
                [http.middlewares.m.errors]
                status = ["500,502", "503-504"]
                service = "pages@file"
                query = "/{status}.html"
                [http.middlewares.m.errors.statusRewrites]
                "502-504" = 500
                """).http().middlewares().get("m").options();
        assertEquals(List.of("500,502", "503-504"), errors.status());
        assertEquals("pages", errors.service(), "the provider suffix is dropped");
        assertEquals(Map.of("502-504", 500), errors.statusRewrites());
        assertNull(errors.errorRequestHeaders(), "unset: every header is forwarded");
        ErrorsConfig defaults = (ErrorsConfig) parse("[http.middlewares.m.errors]\nstatus = [\"500\"]\nservice = \"pages\"\n")
                .http().middlewares().get("m").options();
        assertEquals("/", defaults.query());
    }

    @Test
    void errorsProblemsNameTheirKey() {
        String[][] cases = {
            {"status = []", "service = \"pages\"", "http.middlewares.m.errors.status: at least one status"},
            {"status = [\"500\", \"5x0\"]", "service = \"pages\"", "http.middlewares.m.errors.status[1]: invalid status \"5x0\""},
            {"status = [\"600\"]", "service = \"pages\"", "http.middlewares.m.errors.status[0]: invalid status \"600\": 600 is not between 100 and 599"},
            {"status = [\"599-500\"]", "service = \"pages\"", "http.middlewares.m.errors.status[0]: invalid status range \"599-500\""},
            {"status = [\"500\"]", "service = \"pagse\"", "http.middlewares.m.errors.service: unknown service \"pagse\" (did you mean \"pages\"?)"},
            {"status = [\"500\"]", "query = \"/x\"", "http.middlewares.m.errors.service: missing service name"},
            {"status = [\"500\"]", "service = \"pages\"\nquery = \"x.html\"", "http.middlewares.m.errors.query: must start with \"/\""},
            {"status = [\"500\"]", "service = \"pages\"\nstatusRewrites = {\"50x\" = 500}", "http.middlewares.m.errors.statusRewrites.50x: invalid status"},
            {"status = [\"500\"]", "service = \"pages\"\nstatusRewrites = {\"502\" = 700}", "http.middlewares.m.errors.statusRewrites.502: status must be between 100 and 599"},
            {"status = [\"500\"]", "service = \"pages\"\nstatus_rewrites = {}", "http.middlewares.m.errors.status_rewrites: unknown key"}
        };
        for (String[] c : cases) {
            rejects("[http.middlewares.m.errors]\n" + c[0] + "\n" + c[1] + "\n", c[2]);
        }
    }

    @Test
    void cacheDefaultsArePingaps() throws Exception {
        CacheConfig cache = (CacheConfig) parse("[http.middlewares.m.cache]\n").http().middlewares().get("m").options();
        assertEquals(100_000_000L, cache.maxSize().bytes());
        assertEquals(1_000_000L, cache.maxEntrySize().bytes());
        assertEquals(Duration.ofSeconds(1), cache.lock());
        assertNull(cache.directory());
        assertNull(cache.maxTtl());
        assertEquals(List.of(), cache.purgeIpList());
        CacheConfig set = (CacheConfig) parse("""
                [http.middlewares.m.cache]
                maxSize = "2mib"
                maxEntrySize = 65536
                directory = "memory://"
                maxTtl = "1h"
                lock = "500ms"
                purgeIpList = ["127.0.0.1", "10.0.0.0/8"]
                headers = ["Accept-Encoding"]
                namespace = "api"
                """).http().middlewares().get("m").options();
        assertEquals(2L * 1024 * 1024, set.maxSize().bytes());
        assertEquals(65536L, set.maxEntrySize().bytes());
        assertNull(set.directory(), "memory:// is the memory tier only");
        assertEquals(Duration.ofHours(1), set.maxTtl());
        assertEquals(Duration.ofMillis(500), set.lock());
    }

    @Test
    void cacheProblemsNameTheirKey() {
        String[][] cases = {
            {"maxSize = \"100zb\"", "http.middlewares.m.cache.maxSize: invalid size \"100zb\": unknown unit \"zb\""},
            {"maxSize = \"lots\"", "http.middlewares.m.cache.maxSize: invalid size \"lots\": expected a number"},
            {"maxSize = 0", "http.middlewares.m.cache.maxSize: must be more than 0"},
            {"maxSize = \"1kb\"\nmaxEntrySize = \"2kb\"", "http.middlewares.m.cache.maxEntrySize: must not exceed maxSize"},
            {"maxEntrySize = \"3gb\"\nmaxSize = \"4gb\"", "http.middlewares.m.cache.maxEntrySize: must be below 2gib"},
            {"purgeIpList = [\"127.0.0.1\", \"nope\"]", "http.middlewares.m.cache.purgeIpList[1]: invalid IP or CIDR \"nope\""},
            {"skip = \"(\"", "http.middlewares.m.cache.skip: invalid regex \"(\""},
            {"lock = \"-1s\"", "http.middlewares.m.cache.lock: must not be negative"},
            {"maxTtl = \"0s\"", "http.middlewares.m.cache.maxTtl: must be more than 0"},
            {"lock = \"soon\"", "http.middlewares.m.cache.lock: "},
            {"namespace = \"a/b\"", "http.middlewares.m.cache.namespace: must not contain a path separator"},
            {"eviction = true", "http.middlewares.m.cache.eviction: unknown key"},
            {"max_ttl = \"1h\"", "http.middlewares.m.cache.max_ttl: unknown key (did you mean \"maxTtl\"?)"}
        };
        for (String[] c : cases) {
            rejects("[http.middlewares.m.cache]\n" + c[0] + "\n", c[1]);
        }
    }

    @Test
    void aRelativeDirectoryIsResolvedAgainstTheConfigFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("c.toml");
        java.nio.file.Files.writeString(file, BASE + "[http.middlewares.m.cache]\ndirectory = \"cache-files\"\n");
        CacheConfig cache = (CacheConfig) ConfigLoader.load(List.of(file)).http().middlewares().get("m").options();
        assertEquals(dir.resolve("cache-files").toAbsolutePath().toString(), java.nio.file.Path.of(cache.directory()).toAbsolutePath().toString());
    }
}
