package dev.sluice.proxy.config.middleware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Traefik's status lists and Pingap's byte sizes. */
class StatusRangesAndSizesTest {
    @Test
    void statusListsMixCodesCommasAndInclusiveRanges() {
        StatusRanges ranges = StatusRanges.parse(List.of("404,418", "500-502", " 599 "));
        for (int in : new int[] {404, 418, 500, 501, 502, 599}) {
            assertTrue(ranges.contains(in), "" + in);
        }
        for (int out : new int[] {200, 403, 405, 417, 499, 503, 598}) {
            assertFalse(ranges.contains(out), "" + out);
        }
    }

    @Test
    void badStatusesAreRefusedWithTheEntry() {
        assertEquals("invalid status \"5xx\": expected codes such as \"500\", \"500,502\" or \"500-599\"",
                assertThrows(IllegalArgumentException.class, () -> StatusRanges.parseEntry("5xx")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> StatusRanges.parseEntry("500,"));
        assertThrows(IllegalArgumentException.class, () -> StatusRanges.parseEntry("99"));
        assertThrows(IllegalArgumentException.class, () -> StatusRanges.parseEntry("502-500"));
    }

    @ParameterizedTest
    @CsvSource({"100mb, 100000000", "1MB, 1000000", "512kb, 512000", "1gb, 1000000000", "64kib, 65536", "1mib, 1048576",
        "2GiB, 2147483648", "1.5mb, 1500000", "100, 100", "100b, 100", "0, 0"})
    void sizesUseDecimalAndBinaryUnits(String text, long bytes) {
        assertEquals(bytes, ByteSize.parse(text).bytes());
    }

    @Test
    void sizesAcceptNumbersAndRefuseNonsense() {
        assertEquals(4096, ByteSize.of(4096).bytes());
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("mb"));
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("10 parsecs"));
        assertThrows(IllegalArgumentException.class, () -> ByteSize.of(-1));
        assertThrows(IllegalArgumentException.class, () -> ByteSize.of(1.5));
    }
}
