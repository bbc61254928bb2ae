package dev.sluice.proxy.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HopByHopTest {
    /** Connection values, and the lower-case names they make hop-by-hop beyond the fixed list ("-" for none). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "keep-alive               | -",
        "Keep-Alive, Upgrade      | -",
        "close                    | close",
        "X-Secret                 | x-secret",
        "' x-a ,, X-B , keep-alive' | x-a x-b",
        "','                      | -",
    })
    void namesBeyondTheFixedOnes(String connection, String expected) {
        Set<String> want = expected.equals("-") ? null : Set.of(expected.split(" "));
        assertEquals(want, HopByHop.namedBy(Collections.enumeration(List.of(connection))));
        assertEquals(want, HopByHop.namedBy(HttpFields.build().add("Connection", connection).add("X-Other", "v")));
    }

    @ParameterizedTest
    @CsvSource({"Connection", "keep-alive", "TRANSFER-ENCODING", "te", "Trailer", "Upgrade", "Host", "Proxy-Authorization"})
    void theFixedListIsDroppedWhateverTheCase(String name) {
        assertTrue(HopByHop.drop(name, null));
    }

    @ParameterizedTest
    @CsvSource({"Accept", "X-Forwarded-For", "Content-Length", "Cookie"})
    void endToEndHeadersPassUnlessConnectionNamesThem(String name) {
        assertFalse(HopByHop.drop(name, null));
        assertTrue(HopByHop.drop(name, Set.of(name.toLowerCase(java.util.Locale.ROOT))));
    }
}
