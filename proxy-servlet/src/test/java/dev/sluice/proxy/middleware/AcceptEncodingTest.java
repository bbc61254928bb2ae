package dev.sluice.proxy.middleware;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Accept-Encoding negotiation, row by row (Traefik's rules; "-" = no coding). */
class AcceptEncodingTest {
    private static final AcceptEncoding DEFAULTS = new AcceptEncoding(List.of("gzip", "br", "zstd"), null);

    private static String choose(AcceptEncoding accept, String... lines) {
        String chosen = accept.choose(Collections.enumeration(List.of(lines)));
        return chosen == null ? "-" : chosen;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            gzip                       | gzip
            br                         | br
            zstd, br, gzip             | gzip
            zstd,br                    | br
            GZIP                       | gzip
            gzip;q=0.5, br;q=0.8       | br
            gzip;q=1.0, br;q=1         | gzip
            gzip;q=0                   | -
            gzip;q=0, br               | br
            gzip;q=abc                 | -
            *                          | gzip
            *;q=0                      | -
            gzip;q=0, *                | br
            br;q=0.1, *                | gzip
            identity                   | -
            identity, gzip             | gzip
            identity;q=1, gzip;q=0.9   | -
            deflate, compress          | -
            '   '                      | -
            """)
    void table(String header, String expected) {
        assertEquals(expected, choose(DEFAULTS, header));
    }

    @Test
    void severalHeaderLinesCount() {
        assertEquals("br", choose(DEFAULTS, "zstd", "br"));
    }

    @Test
    void defaultEncodingServesRequestsWithoutTheHeaderAndTheWildcard() {
        AcceptEncoding accept = new AcceptEncoding(List.of("zstd", "gzip"), "gzip");
        assertEquals("gzip", accept.choose(Collections.emptyEnumeration()));
        assertEquals("gzip", choose(accept, "*"));
        assertEquals("zstd", choose(accept, "gzip, zstd"));
        assertEquals("-", choose(new AcceptEncoding(List.of("gzip"), null)));
        assertEquals("-", choose(accept, "br"), "br is not offered");
    }
}
