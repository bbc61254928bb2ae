package dev.sluice.proxy.service;

import dev.sluice.proxy.health.HealthState;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live state of one upstream server of one service: health, requests in flight and the
 * response-time average. Kept apart from {@link Server} (which the configuration decides) so that a
 * reload hands it to the next snapshot's server with the same service and URL: a server down stays
 * down, leasttime keeps its averages, and in-flight counts stay right for requests that started
 * before the reload and end after it.
 */
public final class ServerState {
    final AtomicInteger inFlight = new AtomicInteger();
    final HealthState health = new HealthState();
    /** Exponentially weighted moving average of the time to first byte, in ms (leasttime). */
    volatile double responseTimeMillis;

    /** What identifies a server's state across reloads. */
    public record Key(String service, String url) {}
}
