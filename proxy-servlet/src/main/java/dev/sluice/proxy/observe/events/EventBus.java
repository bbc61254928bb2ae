package dev.sluice.proxy.observe.events;

import dev.sluice.proxy.config.EventsConfig;
import dev.sluice.proxy.observe.ExchangeObserver;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Where the proxy's events go: to every webhook of {@code [events]} that wants their type, and to
 * in-process listeners. {@link #publish} never blocks and never throws: it hands the event to each
 * webhook's own bounded queue (see {@link WebhookTarget}). The runtime holds one bus for its life.
 *
 * <pre>
 * EventBus bus = new EventBus(Clock.systemUTC());
 * bus.apply(config.eventsOrNone());                       // at start and after each reload: targets replaced live
 * bus.publish(EventType.SERVER_DOWN, "api", Map.of("service", "api", "url", url));
 * </pre>
 */
public final class EventBus implements AutoCloseable {
    private final Clock clock;
    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();
    private final RateLimitStorms storms;
    private volatile List<WebhookTarget> targets = List.of();
    /** What {@link #targets} were built from; guarded by {@code this}. */
    private Map<String, EventsConfig.Webhook> applied = Map.of();
    /** Shared by the webhooks (one connection pool; requests of one never wait for another's); made with the first webhook. */
    private HttpClient client;

    public EventBus(Clock clock) {
        this.clock = clock;
        this.storms = new RateLimitStorms(System::nanoTime, clock, this::publish);
    }

    /**
     * Makes {@code config} the one events are sent by. Webhooks whose settings did not change keep their
     * queue; the others are replaced: an old one delivers what it holds, then stops.
     */
    public synchronized void apply(EventsConfig config) {
        storms.configure(config.rateLimitStorm());
        if (config.webhooks().equals(applied)) {
            return;
        }
        Map<String, WebhookTarget> kept = new LinkedHashMap<>();
        targets.forEach(t -> kept.put(t.name(), t));
        List<WebhookTarget> next = new ArrayList<>();
        List<WebhookTarget> retired = new ArrayList<>(targets);
        config.webhooks().forEach((name, webhook) -> {
            WebhookTarget old = kept.get(name);
            if (old != null && Objects.equals(old.config(), webhook)) {
                next.add(old);
                retired.remove(old);
            } else {
                WebhookTarget fresh = new WebhookTarget(name, webhook, client());
                fresh.start();
                next.add(fresh);
            }
        });
        targets = List.copyOf(next);
        applied = config.webhooks();
        retired.forEach(WebhookTarget::retire); // it drains on its own thread, the reload does not wait
    }

    private HttpClient client() {
        if (client == null) {
            // HTTP/1.1: webhooks are small POSTs, and h2c upgrade attempts confuse some receivers.
            client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return client;
    }

    /** Sends {@code event} to the webhooks that want it and tells the listeners; never blocks. */
    public void publish(Event event) {
        for (WebhookTarget target : targets) {
            target.offer(event);
        }
        for (Consumer<Event> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(EventBus.class).warn("events: a listener failed", e);
            }
        }
    }

    /** True when someone hears events: a webhook, or an in-process listener (sources may skip their work otherwise). */
    public boolean hasAudience() {
        return !targets.isEmpty() || !listeners.isEmpty();
    }

    /** An event of {@code type} that happens now. */
    public void publish(EventType type, String subject, Map<String, String> details) {
        publish(new Event(type, clock.instant(), subject, details));
    }

    /**
     * Tells {@code listener} of every event from now on, on the publishing thread: it must not block.
     * Server health events are followed from the next configuration applied on.
     */
    public void subscribe(Consumer<Event> listener) {
        listeners.add(listener);
    }

    /** The exchange observer that turns {@code rateLimit} refusals into {@code ratelimit.storm} events. */
    public ExchangeObserver rateLimitStorms() {
        return storms;
    }

    /** Each current webhook's counts, by name. */
    public Map<String, WebhookStats> stats() {
        Map<String, WebhookStats> out = new LinkedHashMap<>();
        targets.forEach(t -> out.put(t.name(), t.stats()));
        return out;
    }

    /** Events the current webhooks dropped because their queue was full. */
    public long dropped() {
        return targets.stream().mapToLong(t -> t.stats().dropped()).sum();
    }

    /** Delivers what is queued within {@code grace} (all webhooks at once), then stops. */
    public synchronized void close(Duration grace) {
        List<WebhookTarget> all = targets;
        targets = List.of();
        applied = Map.of();
        all.forEach(WebhookTarget::retire); // all drain at once
        long deadline = System.nanoTime() + grace.toNanos();
        for (WebhookTarget t : all) {
            t.close(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(2));
    }
}
