package dev.sluice.proxy.middleware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.proxy.config.middleware.EncodedCharactersConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pure parts of the paths group: which raw paths encodedCharacters refuses, how a Referer's host is read, Go's query escaping. */
class PathsMiddlewareLogicTest {
    private final EncodedCharacters strict = new EncodedCharacters(new EncodedCharactersConfig(null, null, null, null, null, null, null));
    private final EncodedCharacters slashOnly = new EncodedCharacters(new EncodedCharactersConfig(true, null, null, null, null, null, null));

    @ParameterizedTest
    @CsvSource({
        "/plain, false, false",
        "/a%20b, false, false",
        "/a%2Fb, true, false",
        "/a%2fb, true, false",
        "/a%5cb, true, true",
        "/a%00, true, true",
        "/a%3b, true, true",
        "/a%25, true, true",
        "/a%3F, true, true",
        "/a%23, true, true",
        "/a%252F, true, true",   // %25 then 2F: the escape is %25, refused as percent
        "/a%2, true, true",      // cut short
        "/a%, true, true",
    })
    void refusesWhatIsNotAllowed(String path, boolean byStrict, boolean bySlashOnly) {
        assertEquals(byStrict, strict.refused(path), "strict " + path);
        assertEquals(bySlashOnly, slashOnly.refused(path), "slash allowed " + path);
    }

    @Test
    void everythingAllowedRefusesNothingButTruncatedEscapes() {
        EncodedCharacters open = new EncodedCharacters(new EncodedCharactersConfig(true, true, true, true, true, true, true));
        assertEquals(false, open.refused("/%2F%5C%00%3B%25%3F%23"));
    }

    @Test
    void queryEscapeIsGos() {
        // Go's url.QueryEscape keeps -_.~ and escapes *, unlike java.net.URLEncoder.
        assertEquals("a-_.~%2A+%22%3D%2C%3B%C3%A9", ClientCertHeaders.queryEscape("a-_.~* \"=,;\u00e9"));
    }

    @ParameterizedTest
    @CsvSource({
        "0:0:0:0:0:0:0:1, ::1",
        "0:0:0:0:0:0:0:0, ::",
        "2001:db8:0:0:0:0:2:1, 2001:db8::2:1",
        "2001:db8:0:1:0:0:0:1, 2001:db8:0:1::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:1:2:3:4:5:6, 2001:db8:1:2:3:4:5:6",
        "fe80:0:0:0:0:0:0:0, fe80::",
        "192.0.2.7, 192.0.2.7",
    })
    void ipv6SansAreShortenedAsGoWritesThem(String java, String go) {
        assertEquals(go, ClientCertHeaders.shortIpv6(java));
    }

    @Test
    void refererHost() {
        assertEquals("img.example.com", RefererRestriction.hostOf("https://IMG.Example.com:8443/a?b#c"));
        assertEquals("[::1]", RefererRestriction.hostOf("http://[::1]/"));
        assertNull(RefererRestriction.hostOf("not a url"));
        assertNull(RefererRestriction.hostOf("/relative/only"));
        assertNull(RefererRestriction.hostOf(null));
    }
}
