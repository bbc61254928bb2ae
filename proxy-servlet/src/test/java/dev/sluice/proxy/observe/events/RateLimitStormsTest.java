package dev.sluice.proxy.observe.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.proxy.config.EventsConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The storm detector over an injected clock: exact counts, one event per middleware and window. */
class RateLimitStormsTest {
    private final AtomicLong nanos = new AtomicLong(1_000);
    private final List<Event> told = new ArrayList<>();
    private final RateLimitStorms storms = new RateLimitStorms(nanos::get, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), told::add);

    @Test
    void oneEventWhenAWindowGoesOverTheThresholdAndOneMoreInTheNextWindow() {
        storms.configure(new EventsConfig.RateLimitStorm(3, Duration.ofSeconds(10)));
        for (int i = 0; i < 3; i++) {
            storms.refused("limit");
        }
        assertEquals(0, told.size(), "three refusals are not over a threshold of three");
        storms.refused("limit");
        assertEquals(1, told.size());
        Event storm = told.get(0);
        assertEquals(EventType.RATE_LIMIT_STORM, storm.type());
        assertEquals("limit", storm.subject());
        assertEquals("4", storm.details().get("refused"));
        assertEquals("3", storm.details().get("threshold"));
        for (int i = 0; i < 100; i++) {
            storms.refused("limit");
        }
        assertEquals(1, told.size(), "once per window");

        nanos.addAndGet(Duration.ofSeconds(10).toNanos()); // the next window
        for (int i = 0; i < 3; i++) {
            storms.refused("limit");
        }
        assertEquals(1, told.size(), "counts start over");
        storms.refused("limit");
        assertEquals(2, told.size());
    }

    @Test
    void middlewaresAreCountedApart() {
        storms.configure(new EventsConfig.RateLimitStorm(2, Duration.ofSeconds(1)));
        storms.refused("a");
        storms.refused("b");
        storms.refused("a");
        storms.refused("b");
        assertEquals(0, told.size());
        storms.refused("b");
        assertEquals(1, told.size());
        assertEquals("b", told.get(0).subject());
    }
}
