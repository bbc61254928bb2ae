package dev.sluice.proxy.middleware.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9111 freshness for a shared cache without heuristics, as a table. */
class FreshnessTest {
    private static final long NOW = 1_700_000_000_000L;

    private static Freshness.Headers cacheControl(String... values) {
        return new Freshness.Headers(List.of(values), List.of(), List.of(), List.of(), List.of(), false);
    }

    private static Long seconds(Duration d) {
        return d == null ? null : d.toSeconds();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
        "max-age=60|60",
        "public, max-age=60|60",
        "MAX-AGE=60|60",
        "max-age=\"60\"|60",
        "max-age=60, s-maxage=300|300",
        "s-maxage=300, max-age=60|300",
        "max-age=0|none",
        "max-age=abc|none",
        "max-age=60, no-store|none",
        "private, max-age=60|none",
        "no-cache, max-age=60|none",
        "no-cache=\"Set-Cookie\", max-age=60|none",
        "public|none",
        "must-revalidate, max-age=5|5",
        "''|none",
    })
    void cacheControlDirectives(String header, Long expected) {
        assertEquals(expected, seconds(Freshness.lifetime(200, cacheControl(header), false, null, NOW)));
    }

    @Test
    void expiresCountsFromDateOrFromNow() {
        var withDate = new Freshness.Headers(List.of(), List.of("Sun, 06 Nov 1994 08:49:37 GMT"), List.of("Sun, 06 Nov 1994 08:48:37 GMT"),
                List.of(), List.of(), false);
        assertEquals(60L, seconds(Freshness.lifetime(200, withDate, false, null, NOW)));
        var past = new Freshness.Headers(List.of(), List.of("Sun, 06 Nov 1994 08:49:37 GMT"), List.of(), List.of(), List.of(), false);
        assertNull(Freshness.lifetime(200, past, false, null, NOW), "already expired");
        var invalid = new Freshness.Headers(List.of(), List.of("0"), List.of(), List.of(), List.of(), false);
        assertNull(Freshness.lifetime(200, invalid, false, null, NOW), "an invalid Expires is in the past");
        var overridden = new Freshness.Headers(List.of("max-age=10"), List.of("Sun, 06 Nov 1994 08:49:37 GMT"), List.of(), List.of(),
                List.of(), false);
        assertEquals(10L, seconds(Freshness.lifetime(200, overridden, false, null, NOW)), "max-age wins over Expires");
    }

    @Test
    void anUpstreamAgeIsTakenOffAndMaxTtlCaps() {
        var aged = new Freshness.Headers(List.of("max-age=60"), List.of(), List.of(), List.of("50"), List.of(), false);
        assertEquals(10L, seconds(Freshness.lifetime(200, aged, false, null, NOW)));
        var old = new Freshness.Headers(List.of("max-age=60"), List.of(), List.of(), List.of("60"), List.of(), false);
        assertNull(Freshness.lifetime(200, old, false, null, NOW));
        assertEquals(5L, seconds(Freshness.lifetime(200, cacheControl("max-age=60"), false, Duration.ofSeconds(5), NOW)));
        assertEquals(60L, seconds(Freshness.lifetime(200, cacheControl("max-age=60"), false, Duration.ofHours(1), NOW)));
    }

    @Test
    void onlyHeuristicallyCacheableStatuses() {
        for (int status : new int[] {200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501}) {
            assertEquals(60L, seconds(Freshness.lifetime(status, cacheControl("max-age=60"), false, null, NOW)), "" + status);
        }
        for (int status : new int[] {201, 206, 302, 304, 307, 400, 403, 500, 502, 503}) {
            assertNull(Freshness.lifetime(status, cacheControl("max-age=60"), false, null, NOW), "" + status);
        }
    }

    @Test
    void varyStarCookiesAndAuthorization() {
        var varyAll = new Freshness.Headers(List.of("max-age=60"), List.of(), List.of(), List.of(), List.of("Accept, *"), false);
        assertNull(Freshness.lifetime(200, varyAll, false, null, NOW));
        var cookie = new Freshness.Headers(List.of("max-age=60"), List.of(), List.of(), List.of(), List.of(), true);
        assertNull(Freshness.lifetime(200, cookie, false, null, NOW));
        assertNull(Freshness.lifetime(200, cacheControl("max-age=60"), true, null, NOW));
        assertEquals(60L, seconds(Freshness.lifetime(200, cacheControl("public, max-age=60"), true, null, NOW)));
        assertEquals(30L, seconds(Freshness.lifetime(200, cacheControl("s-maxage=30"), true, null, NOW)));
    }
}
