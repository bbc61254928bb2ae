package dev.sluice.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.config.middleware.EncodedCharactersConfig;
import dev.sluice.proxy.config.middleware.MockConfig;
import dev.sluice.proxy.config.middleware.PassTLSClientCertConfig;
import dev.sluice.proxy.config.middleware.RedirectSchemeConfig;
import dev.sluice.proxy.config.middleware.RefererRestrictionConfig;
import dev.sluice.proxy.config.middleware.UaRestrictionConfig;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The paths-and-redirects middlewares: each configuration mistake reported on its key path, and the defaults. */
class PathsConfigErrorsTest {

    static Stream<Arguments> errors() {
        return Stream.of(
                error("""
                        [http.middlewares.m.stripPrefixRegex]
                        regex = ["/ok", "/v(["]
                        """, "http.middlewares.m.stripPrefixRegex.regex[1]: invalid regular expression \"/v([\""),
                error("""
                        [http.middlewares.m.stripPrefixRegex]
                        regex = ["[a-"]
                        """, "http.middlewares.m.stripPrefixRegex.regex[0]: invalid regular expression"),
                error("""
                        [http.middlewares.m.stripPrefixRegex]
                        """, "http.middlewares.m.stripPrefixRegex.regex: at least one regular expression required"),
                error("""
                        [http.middlewares.m.stripPrefixRegex]
                        regexp = ["/a"]
                        """, "http.middlewares.m.stripPrefixRegex.regexp: unknown key (did you mean \"regex\"?)"),
                error("""
                        [http.middlewares.m.replacePath]
                        """, "http.middlewares.m.replacePath.path: must start with \"/\", got nothing"),
                error("""
                        [http.middlewares.m.replacePath]
                        path = "foo"
                        """, "http.middlewares.m.replacePath.path: must start with \"/\", got \"foo\""),
                error("""
                        [http.middlewares.m.replacePath]
                        path = "/a%zz"
                        """, "http.middlewares.m.replacePath.path: \"/a%zz\" has a '%' not followed by two hex digits"),
                error("""
                        [http.middlewares.m.replacePathRegex]
                        replacement = "/x"
                        """, "http.middlewares.m.replacePathRegex.regex: a regular expression is required"),
                error("""
                        [http.middlewares.m.replacePathRegex]
                        regex = "^/(.*"
                        replacement = "/x"
                        """, "http.middlewares.m.replacePathRegex.regex: invalid regular expression \"^/(.*\""),
                error("""
                        [http.middlewares.m.replacePathRegex]
                        regex = "^/a"
                        """, "http.middlewares.m.replacePathRegex.replacement: required"),
                error("""
                        [http.middlewares.m.redirectScheme]
                        port = "443"
                        """, "http.middlewares.m.redirectScheme.scheme: required, e.g. scheme = \"https\""),
                error("""
                        [http.middlewares.m.redirectScheme]
                        scheme = "https://"
                        """, "http.middlewares.m.redirectScheme.scheme: \"https://\" is not a URL scheme"),
                error("""
                        [http.middlewares.m.redirectScheme]
                        scheme = "https"
                        port = "70000"
                        """, "http.middlewares.m.redirectScheme.port: must be a port number between 1 and 65535, got \"70000\""),
                error("""
                        [http.middlewares.m.redirectScheme]
                        scheme = "https"
                        port = 443
                        """, "http.middlewares.m.redirectScheme.port: expected a string"),
                error("""
                        [http.middlewares.m.redirectScheme]
                        scheme = "https"
                        permanent = "yes"
                        """, "http.middlewares.m.redirectScheme.permanent: expected"),
                error("""
                        [http.middlewares.m.redirectRegex]
                        regex = "^http://(.*"
                        replacement = "https://$1"
                        """, "http.middlewares.m.redirectRegex.regex: invalid regular expression"),
                error("""
                        [http.middlewares.m.redirectRegex]
                        regex = "^http://(.*)"
                        """, "http.middlewares.m.redirectRegex.replacement: required"),
                error("""
                        [http.middlewares.m.encodedCharacters]
                        allowEncodedSlashes = true
                        """, "http.middlewares.m.encodedCharacters.allowEncodedSlashes: unknown key (did you mean \"allowEncodedSlash\"?)"),
                error("""
                        [http.middlewares.m.ping]
                        """, "http.middlewares.m.ping.path: must start with \"/\", got nothing"),
                error("""
                        [http.middlewares.m.mock]
                        status = 999
                        """, "http.middlewares.m.mock.status: must be an HTTP status between 100 and 599, got 999"),
                error("""
                        [http.middlewares.m.mock]
                        headers = ["X-Ok: 1", "no colon here"]
                        """, "http.middlewares.m.mock.headers[1]: expected \"Name: Value\", got \"no colon here\""),
                error("""
                        [http.middlewares.m.mock]
                        path = "relative"
                        """, "http.middlewares.m.mock.path: must start with \"/\""),
                error("""
                        [http.middlewares.m.mock]
                        delay = "soon"
                        """, "http.middlewares.m.mock.delay:"),
                error("""
                        [http.middlewares.m.uaRestriction]
                        type = "deny"
                        """, "http.middlewares.m.uaRestriction.uaList: at least one User-Agent pattern required"),
                error("""
                        [http.middlewares.m.uaRestriction]
                        uaList = ["ok", "(bad"]
                        """, "http.middlewares.m.uaRestriction.uaList[1]: invalid regular expression \"(bad\""),
                error("""
                        [http.middlewares.m.uaRestriction]
                        uaList = ["curl"]
                        type = "block"
                        """, "http.middlewares.m.uaRestriction.type: must be \"allow\" or \"deny\", got \"block\""),
                error("""
                        [http.middlewares.m.uaRestriction]
                        ua_list = ["curl"]
                        """, "http.middlewares.m.uaRestriction.ua_list: unknown key"),
                error("""
                        [http.middlewares.m.refererRestriction]
                        """, "http.middlewares.m.refererRestriction.refererList: at least one host required"),
                error("""
                        [http.middlewares.m.refererRestriction]
                        refererList = ["example.com", "https://x.org/", "a.*.com"]
                        """, "http.middlewares.m.refererRestriction.refererList[1]: expected a host such as example.com or *.example.com, got \"https://x.org/\""),
                error("""
                        [http.middlewares.m.refererRestriction]
                        refererList = ["a.*.com"]
                        """, "http.middlewares.m.refererRestriction.refererList[0]: expected a host"),
                error("""
                        [http.middlewares.m.refererRestriction]
                        refererList = ["example.com"]
                        type = "Deny"
                        """, "http.middlewares.m.refererRestriction.type: must be \"allow\" or \"deny\", got \"Deny\""),
                error("""
                        [http.middlewares.m.passTLSClientCert.info.subject]
                        email = true
                        """, "http.middlewares.m.passTLSClientCert.info.subject.email: unknown key"),
                error("""
                        [http.middlewares.m.passTLSClientCert.info.issuer]
                        organizationalUnit = true
                        """, "http.middlewares.m.passTLSClientCert.info.issuer.organizationalUnit: unknown key"),
                error("""
                        [http.middlewares.m.passTLSClientCert]
                        pem = "true"
                        """, "http.middlewares.m.passTLSClientCert.pem: expected"));
    }

    private static Arguments error(String toml, String expected) {
        return Arguments.of(toml, expected);
    }

    @ParameterizedTest
    @MethodSource("errors")
    void reportsTheKeyPath(String toml, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(toml, "test.toml"));
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith(expected) || p.startsWith("test.toml: " + expected)),
                () -> "expected a line starting with (after the file name, for binding errors)\n  " + expected + "\nbut got\n  " + String.join("\n  ", e.problems()));
    }

    private static <T> T options(String toml, Class<T> type) throws ConfigException {
        return type.cast(ConfigLoader.parse(toml, "test.toml").http().middlewares().get("m").options());
    }

    @Test
    void defaults() throws ConfigException {
        EncodedCharactersConfig encoded = options("[http.middlewares.m.encodedCharacters]\n", EncodedCharactersConfig.class);
        assertEquals(new EncodedCharactersConfig(false, false, false, false, false, false, false), encoded);

        RedirectSchemeConfig scheme = options("[http.middlewares.m.redirectScheme]\nscheme = \"https\"\n", RedirectSchemeConfig.class);
        assertEquals(new RedirectSchemeConfig("https", "", false), scheme);

        MockConfig mock = options("[http.middlewares.m.mock]\n", MockConfig.class);
        assertEquals(new MockConfig("", 200, List.of(), "", Duration.ZERO), mock);
        assertEquals(Duration.ofMillis(1500), options("[http.middlewares.m.mock]\ndelay = \"1.5s\"\n", MockConfig.class).delay());
        assertEquals(Duration.ofSeconds(2), options("[http.middlewares.m.mock]\ndelay = 2\n", MockConfig.class).delay());

        UaRestrictionConfig ua = options("[http.middlewares.m.uaRestriction]\nuaList = [\"x\"]\n", UaRestrictionConfig.class);
        assertEquals("allow", ua.type());
        assertEquals("Request is forbidden", ua.message());

        PassTLSClientCertConfig cert = options("[http.middlewares.m.passTLSClientCert]\n", PassTLSClientCertConfig.class);
        assertEquals(new PassTLSClientCertConfig(false, null), cert);
        PassTLSClientCertConfig info = options("[http.middlewares.m.passTLSClientCert.info]\nsans = true\n", PassTLSClientCertConfig.class);
        assertEquals(new PassTLSClientCertConfig.Info(false, false, true, false, null, null), info.info());

        RefererRestrictionConfig referer = options("[http.middlewares.m.refererRestriction]\nrefererList = [\"x.org\"]\n",
                RefererRestrictionConfig.class);
        assertEquals("allow", referer.type());
        assertEquals("Request is forbidden", referer.message());
    }

    @Test
    void typeNamesAndKeysAreCaseInsensitive() throws ConfigException {
        RedirectSchemeConfig scheme = options("[http.middlewares.m.RedirectScheme]\nScheme = \"https\"\nPERMANENT = true\n",
                RedirectSchemeConfig.class);
        assertEquals(new RedirectSchemeConfig("https", "", true), scheme);
    }
}
