package dev.sluice.proxy.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RoutingPathTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # raw                        | routing path
            /                            | /
            /api/v1/users                | /api/v1/users
            /foo%2Fbar                   | /foo%2Fbar
            /foo%2fbar                   | /foo%2Fbar
            /%41%62c%2d%2E%5f%7e         | /Abc-._~
            /a%3a%3Bb%40                 | /a%3A%3Bb%40
            /a%20b                       | /a%20b
            /a%c3%a9                     | /a%C3%A9
            /%25                         | /%25
            /100%                        | /100%25
            /%zz                         | /%25zz
            /%4                          | /%254
            /./foo/../bar//              | /bar/
            //foo///bar                  | /foo/bar
            /a/b/..                      | /a/
            /a/b/.                       | /a/b/
            /a/./b                       | /a/b
            /a/b/../../..                | /
            /..                          | /
            /../../etc/passwd            | /etc/passwd
            /foo/%2e%2e/bar              | /bar
            /foo/%2E%2e%2Fbar            | /foo/..%2Fbar
            /static/%2e/app.js           | /static/app.js
            /.hidden/..x/x../...         | /.hidden/..x/x../...
            //                           | /
            foo/bar                      | /foo/bar
            ../x                         | /x
            /a b                         | /a%20b
            /caf\u00e9                   | /caf%C3%A9
            /a\\b                        | /a%5Cb
            /a[1]                        | /a%5B1%5D
            /a;b=c,d:e@f!$&'()*+         | /a;b=c,d:e@f!$&'()*+
            """)
    void routingPath(String raw, String expected) {
        // (The text block turns \\ into one backslash; javac turns \u00e9 into é.)
        assertEquals(expected, RoutingPath.of(raw));
        // Canonical output is a fixed point.
        assertEquals(expected, RoutingPath.of(RoutingPath.of(raw)));
    }

    @ParameterizedTest
    @NullAndEmptySource
    void nullAndEmptyAreRoot(String raw) {
        assertEquals("/", RoutingPath.of(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/api/v1/users", "/a.b/c..d/.e/f./...", "/a-b_c~d", "/x;y=1/@me:here", "/trailing/",
        "/foo%2Fbar", "/caf%C3%A9", "/a%20b%25"})
    void plainPathIsReturnedAsIs(String raw) {
        String copy = new String(raw); // a distinct instance, so assertSame proves no rebuilding
        assertSame(copy, RoutingPath.of(copy));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a//b", "/a/./b", "/a/../b", "/a/%41", "/a/%2f", "/a/.", "/a/..", "/a b", "/a%", "/a%2", "/%2E"})
    void nonCanonicalPathIsRebuiltAndThenStable(String raw) {
        String result = RoutingPath.of(raw);
        assertNotEquals(raw, result);
        assertSame(result, RoutingPath.of(result));
    }
}
