package dev.sluice.proxy.observe.events;

import dev.sluice.proxy.config.EventsConfig;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One webhook: a bounded queue and one thread that POSTs what it holds, in order. {@link #offer}
 * never waits: a full queue drops the event and counts it. A 5xx answer or a failed connection
 * (timeouts included) is retried {@code maxRetries} times with a doubling back-off; any other
 * non-2xx answer is not (the webhook refuses the request, sending it again would not help).
 */
final class WebhookTarget {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookTarget.class);
    /** The longest wait between two attempts, however many retries are configured. */
    private static final Duration BACKOFF_CAP = Duration.ofMinutes(1);

    private final String name;
    private final EventsConfig.Webhook config;
    private final Set<EventType> accepted;
    private final HttpClient client;
    private final BlockingQueue<Event> queue;
    private final Thread thread;
    private volatile boolean closing;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();

    WebhookTarget(String name, EventsConfig.Webhook config, HttpClient client) {
        this.name = name;
        this.config = config;
        this.accepted = config.accepted();
        this.client = client;
        this.queue = new ArrayBlockingQueue<>(config.queueSize());
        this.thread = new Thread(this::run, "sluice-events-" + name);
        thread.setDaemon(true); // never keeps the JVM alive: close() drains what it can on shutdown
    }

    void start() {
        thread.start();
    }

    String name() {
        return name;
    }

    EventsConfig.Webhook config() {
        return config;
    }

    /** Queues {@code event} if this webhook wants its type; never blocks. */
    void offer(Event event) {
        if (!accepted.contains(event.type()) || closing) {
            return;
        }
        if (!queue.offer(event)) {
            long n = dropped.incrementAndGet();
            if (n == 1 || Long.bitCount(n) == 1) { // 1, 2, 4, 8, ...: a log line per doubling, not per drop
                LOG.warn("events: webhook {} is behind, {} event(s) dropped so far", name, n);
            }
        }
    }

    private void run() {
        try {
            while (true) {
                Event event = queue.poll(100, TimeUnit.MILLISECONDS);
                if (event == null) {
                    if (closing) {
                        return;
                    }
                    continue;
                }
                deliver(event);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closed without grace: what is left is dropped
        }
    }

    private void deliver(Event event) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(config.url()).timeout(config.timeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(Payloads.body(config.format(), event)));
        config.headers().forEach(request::setHeader);
        HttpRequest built = request.build();
        Duration backoff = config.retryBackoff();
        for (int attempt = 0; ; attempt++) {
            attempts.incrementAndGet();
            String failure;
            try {
                int status = client.send(built, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status >= 200 && status < 300) {
                    delivered.incrementAndGet();
                    return;
                }
                if (status < 500) {
                    failed.incrementAndGet();
                    LOG.warn("events: webhook {} refused {} with status {}, not retried", name, event.type().wireName(), status);
                    return;
                }
                failure = "status " + status;
            } catch (IOException e) {
                failure = e.toString();
            }
            if (attempt >= config.maxRetries() || closing) {
                failed.incrementAndGet();
                LOG.warn("events: webhook {} failed to take {} after {} attempt(s): {}", name, event.type().wireName(), attempt + 1,
                        failure);
                return;
            }
            TimeUnit.NANOSECONDS.sleep(backoff.toNanos()); // this webhook's own thread: nobody else waits
            backoff = backoff.multipliedBy(2).compareTo(BACKOFF_CAP) > 0 ? BACKOFF_CAP : backoff.multipliedBy(2);
        }
    }

    /** Takes no more events; its thread delivers what is queued, then ends. */
    void retire() {
        closing = true;
    }

    /** Takes no more events; delivers what is queued within {@code grace}, then gives up on the rest. */
    void close(Duration grace) {
        closing = true;
        try {
            thread.join(Math.max(1, grace.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
        if (!queue.isEmpty()) {
            LOG.warn("events: webhook {} closed with {} event(s) undelivered", name, queue.size());
        }
    }

    WebhookStats stats() {
        return new WebhookStats(delivered.get(), failed.get(), dropped.get(), attempts.get());
    }
}
