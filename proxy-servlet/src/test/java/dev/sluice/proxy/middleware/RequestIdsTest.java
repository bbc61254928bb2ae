package dev.sluice.proxy.middleware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

    @Test
    void uuidV7CarriesTheTimeVersionAndVariant() {
        long millis = 0x0123_4567_89ABL;
        UUID id = RequestIds.uuidV7(millis);
        assertEquals(7, id.version());
        assertEquals(2, id.variant()); // RFC 4122/9562 variant
        assertEquals(millis, id.getMostSignificantBits() >>> 16);
        assertTrue(id.toString().startsWith("01234567-89ab-7"), id.toString());
    }

    @Test
    void uuidV7SortsByTime() {
        assertTrue(RequestIds.uuidV7(1_000).toString().compareTo(RequestIds.uuidV7(1_001).toString()) < 0);
    }

    @Test
    void nanoidHasTheSizeAndAlphabetAndDoesNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            String id = RequestIds.nanoid(12);
            assertTrue(id.matches("[A-Za-z0-9_-]{12}"), id);
            seen.add(id);
        }
        assertEquals(1_000, seen.size());
        assertEquals(1, RequestIds.nanoid(1).length());
    }

    @Test
    void algorithmChoosesTheGenerator() {
        assertEquals(7, UUID.fromString(RequestIds.of("uuid", 8).get()).version());
        assertEquals(5, RequestIds.of("nanoid", 5).get().length());
    }
}
