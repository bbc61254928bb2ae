package dev.sluice.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.config.middleware.ContentTypeConfig;
import dev.sluice.proxy.config.middleware.HeadersConfig;
import dev.sluice.proxy.config.middleware.RequestIdConfig;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Configuration of headers, responseHeaders, requestId and contentType: defaults, and each error with its key path. */
class HeadersConfigErrorsTest {

    private static List<String> problems(String middleware) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(middleware, "test.toml"));
        return e.problems();
    }

    static Stream<Arguments> errors() {
        return Stream.of(
            Arguments.of("bad origin regex", "[http.middlewares.m.headers]\naccessControlAllowOriginListRegex = [\"^https://ok$\", \"(unclosed\"]",
                    "http.middlewares.m.headers.accessControlAllowOriginListRegex[1]: invalid regular expression \"(unclosed\""),
            Arguments.of("no option", "[http.middlewares.m.headers]",
                    "http.middlewares.m.headers: no option set"),
            Arguments.of("header name with a space", "[http.middlewares.m.headers]\ncustomResponseHeaders = { \"X Bad\" = \"v\" }",
                    "http.middlewares.m.headers.customResponseHeaders.X Bad: not a valid header name: \"X Bad\""),
            Arguments.of("CRLF in a value", "[http.middlewares.m.headers]\ncustomRequestHeaders = { X-A = \"a\\r\\nX-Injected: 1\" }",
                    "http.middlewares.m.headers.customRequestHeaders.X-A: header values cannot contain CR, LF or NUL"),
            Arguments.of("negative stsSeconds", "[http.middlewares.m.headers]\nstsSeconds = -1",
                    "http.middlewares.m.headers.stsSeconds: must be 0 or more, got -1"),
            Arguments.of("CRLF in CSP", "[http.middlewares.m.headers]\ncontentSecurityPolicy = \"a\\nb\"",
                    "http.middlewares.m.headers.contentSecurityPolicy: header values cannot contain CR, LF or NUL"),
            Arguments.of("bad hostsProxyHeaders", "[http.middlewares.m.headers]\nhostsProxyHeaders = [\"X:Host\"]",
                    "http.middlewares.m.headers.hostsProxyHeaders[0]: not a valid header name"),
            Arguments.of("v2 option removed in v3", "[http.middlewares.m.headers]\nsslRedirect = true",
                    "http.middlewares.m.headers.sslRedirect: unknown key"),
            Arguments.of("misspelt option", "[http.middlewares.m.headers]\nframeDenny = true",
                    "http.middlewares.m.headers.frameDenny: unknown key (did you mean \"frameDeny\"?)"),
            Arguments.of("line without colon", "[http.middlewares.m.responseHeaders]\naddHeaders = [\"X-A\"]",
                    "http.middlewares.m.responseHeaders.addHeaders[0]: expected \"Name:value\", got \"X-A\""),
            Arguments.of("bad set name", "[http.middlewares.m.responseHeaders]\nsetHeaders = [\"X(A):1\"]",
                    "http.middlewares.m.responseHeaders.setHeaders[0]: not a valid header name: \"X(A)\""),
            Arguments.of("bad remove name", "[http.middlewares.m.responseHeaders]\nremoveHeaders = [\"\"]",
                    "http.middlewares.m.responseHeaders.removeHeaders[0]: not a valid header name"),
            Arguments.of("bad rename target", "[http.middlewares.m.responseHeaders]\nrenameHeaders = [\"X-Old:X New\"]",
                    "http.middlewares.m.responseHeaders.renameHeaders[0]: not a valid header name: \"X New\""),
            Arguments.of("empty responseHeaders", "[http.middlewares.m.responseHeaders]",
                    "http.middlewares.m.responseHeaders: no option set"),
            Arguments.of("Pingap snake_case", "[http.middlewares.m.responseHeaders]\nadd_headers = [\"X-A:1\"]",
                    "http.middlewares.m.responseHeaders.add_headers: unknown key (did you mean \"addHeaders\"?)"),
            Arguments.of("unknown algorithm", "[http.middlewares.m.requestId]\nalgorithm = \"ulid\"",
                    "http.middlewares.m.requestId.algorithm: expected \"uuid\" or \"nanoid\", got \"ulid\""),
            Arguments.of("size zero", "[http.middlewares.m.requestId]\nsize = 0",
                    "http.middlewares.m.requestId.size: must be between 1 and 64, got 0"),
            Arguments.of("size too big", "[http.middlewares.m.requestId]\nsize = 65",
                    "http.middlewares.m.requestId.size: must be between 1 and 64, got 65"),
            Arguments.of("bad header name", "[http.middlewares.m.requestId]\nheaderName = \"X Id\"",
                    "http.middlewares.m.requestId.headerName: not a valid header name"),
            Arguments.of("contentType option", "[http.middlewares.m.contentType]\nautodetect = \"maybe\"",
                    "http.middlewares.m.contentType.autoDetect: expected true or false"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void reportsTheKeyPath(String label, String toml, String expected) {
        List<String> problems = problems(toml);
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)),
                () -> label + ": expected a line with\n  " + expected + "\nbut got\n  " + String.join("\n  ", problems));
    }

    @Test
    void headersDefaultsAreAllOff() throws ConfigException {
        HeadersConfig headers = (HeadersConfig) ConfigLoader.parse("""
                [http.middlewares.m.headers]
                customResponseHeaders = { X-A = "1" }
                """, "test.toml").http().middlewares().get("m").options();
        assertFalse(headers.hasCors());
        assertFalse(headers.hasSecurity());
        assertNull(headers.stsSeconds());
        assertNull(headers.accessControlMaxAge());
        assertFalse(headers.frameDeny());
        assertFalse(headers.isDevelopment());
        assertEquals(Map.of(), headers.customRequestHeaders());
        assertEquals(List.of(), headers.accessControlAllowOriginList());
    }

    @Test
    void optionNamesAreTraefiksWhateverTheirCase() throws ConfigException {
        HeadersConfig headers = (HeadersConfig) ConfigLoader.parse("""
                [http.middlewares.m.headers]
                isDevelopment = true
                forceSTSHeader = true
                customBrowserXSSValue = "0"
                accessControlMaxAge = 0
                stsseconds = 10
                """, "test.toml").http().middlewares().get("m").options();
        assertTrue(headers.isDevelopment());
        assertTrue(headers.forceSTSHeader());
        assertEquals("0", headers.customBrowserXSSValue());
        assertEquals(0L, headers.accessControlMaxAge());
        assertTrue(headers.hasCors(), "a max age of 0 is still a CORS option, as in Traefik");
        assertEquals(10L, headers.stsSeconds());
    }

    @Test
    void requestIdAndContentTypeDefaults() throws ConfigException {
        var middlewares = ConfigLoader.parse("""
                [http.middlewares.id.requestId]
                [http.middlewares.ct.contentType]
                """, "test.toml").http().middlewares();
        assertEquals(new RequestIdConfig("X-Request-Id", "uuid", 8), middlewares.get("id").options());
        assertEquals(new ContentTypeConfig(true), middlewares.get("ct").options());
    }
}
