package dev.sluice.proxy.observe.events;

import dev.sluice.proxy.config.EventsConfig;
import dev.sluice.proxy.observe.ExchangeObserver;
import dev.sluice.proxy.service.Exchange;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Watches the refusals of {@code rateLimit} middlewares and makes one {@code ratelimit.storm} event
 * when one middleware refuses more than {@code threshold} requests within a window. Windows are fixed,
 * one per middleware, starting at its first refusal after the previous window ended; at most one
 * event per middleware and window. Cheap: an exchange that was not refused costs one field read.
 */
final class RateLimitStorms implements ExchangeObserver {
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final LongSupplier nanos;
    private final Clock clock;
    private final Consumer<Event> publish;
    private volatile EventsConfig.RateLimitStorm config = EventsConfig.RateLimitStorm.DEFAULT;

    RateLimitStorms(LongSupplier nanos, Clock clock, Consumer<Event> publish) {
        this.nanos = nanos;
        this.clock = clock;
        this.publish = publish;
    }

    void configure(EventsConfig.RateLimitStorm storm) {
        config = storm;
    }

    @Override
    public void ended(Exchange exchange) {
        Exchange.Refusal refusal = exchange.refusal();
        if (refusal != null && "rateLimit".equals(refusal.type())) {
            refused(refusal.middleware());
        }
    }

    /** One refusal by {@code middleware}. */
    void refused(String middleware) {
        EventsConfig.RateLimitStorm storm = config;
        long windowNanos = storm.window().toNanos();
        Window window = windows.computeIfAbsent(middleware, name -> new Window());
        long count;
        // Per middleware, so refusals of different middlewares never contend; the lock is held for a few adds.
        synchronized (window) {
            long now = nanos.getAsLong();
            if (window.count == 0 || now - window.start >= windowNanos) {
                window.start = now;
                window.count = 0;
                window.told = false;
            }
            window.count++;
            if (window.told || window.count <= storm.threshold()) {
                return;
            }
            window.told = true;
            count = window.count;
        }
        publish.accept(new Event(EventType.RATE_LIMIT_STORM, clock.instant(), middleware, Event.details("middleware", middleware,
                "refused", Long.toString(count), "threshold", Integer.toString(storm.threshold()), "window", storm.window().toString())));
    }

    private static final class Window {
        long start;
        long count;
        boolean told;
    }
}
