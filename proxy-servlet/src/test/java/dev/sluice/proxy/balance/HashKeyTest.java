package dev.sluice.proxy.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.proxy.balance.HashKey.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one hashKey grammar: what parses, to what, and what does not. */
class HashKeyTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', nullValues = "-", value = {
        "ip             ; IP     ; -      ; ip",
        "url            ; URL    ; -      ; url",
        "path           ; PATH   ; -      ; path",
        "header:X-User  ; HEADER ; X-User ; header:X-User",
        "'header: X-User '; HEADER ; X-User ; header:X-User",
        "cookie:sid     ; COOKIE ; sid    ; cookie:sid",
        "query:user     ; QUERY  ; user   ; query:user",
    })
    void parses(String text, Kind kind, String name, String canonical) {
        HashKey key = HashKey.parse(text);
        assertEquals(new HashKey(kind, name), key);
        assertEquals(canonical, key.toString());
        assertEquals(key, HashKey.parse(key.toString()));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "client", "IP", "header", "header:", "header: ", "cookie:", "query:  ", "ip:x", "url:", "heder:X", ":x"})
    void rejects(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HashKey.parse(text));
        assertEquals("unknown hash key \"" + text + "\"; use ip, url, path, header:Name, cookie:name or query:name", e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"HEADER", "COOKIE", "QUERY"})
    void namedKindsNeedAName(Kind kind) {
        assertThrows(IllegalArgumentException.class, () -> new HashKey(kind, null));
        assertThrows(IllegalArgumentException.class, () -> new HashKey(kind, " "));
        assertThrows(IllegalArgumentException.class, () -> new HashKey(Kind.IP, "x"));
    }
}
