package dev.sluice.proxy.middleware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.config.middleware.RateLimitConfig;
import dev.sluice.proxy.config.middleware.SourceCriterionConfig;
import dev.sluice.proxy.observe.ExchangeObserver;
import dev.sluice.proxy.service.Exchange;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code rateLimit} in a real servlet container, on a clock the test moves by hand: every wait,
 * refill and {@code Retry-After} is exact, however loaded the machine. Semantics are Traefik's
 * (conf/middlewares.d/traffic.toml): {@code average} tokens per {@code period}, up to {@code burst}
 * at once, a wait up to half a token interval (500 ms below one a second) delayed, longer ones 429.
 */
class RateLimitTest {
    private static final long MS = 1_000_000L;

    private final AtomicLong clock = new AtomicLong(1_000 * MS);
    /** The delays RateLimit asked for, in nanoseconds; each delayed request then runs at once. */
    private final List<Long> delays = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Server server;
    private Scheduler scheduler;
    private URI uri;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
        if (scheduler != null) {
            scheduler.stop();
        }
    }

    private void start(RateLimitConfig config) throws Exception {
        scheduler = new ScheduledExecutorScheduler("rate-limit-test", true) {
            @Override
            public Task schedule(Runnable task, long delay, TimeUnit unit) {
                delays.add(unit.toNanos(delay));
                return super.schedule(task, 0, unit);
            }
        };
        scheduler.start();
        server = new Server();
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        RateLimit limit = new RateLimit(config, scheduler, Runnable::run, clock::get);
        // What SluiceFilter does around a router's middlewares: an exchange, then the chain.
        Filter exchange = (req, res, chain) -> {
            Exchange e = Exchange.begin((HttpServletRequest) req, (HttpServletResponse) res, null, ExchangeObserver.NONE);
            e.run(() -> limit.doFilter(e.request(), e.response(), chain));
        };
        ServletContextHandler context = new ServletContextHandler();
        FilterHolder filter = new FilterHolder(exchange);
        filter.setAsyncSupported(true);
        context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        ServletHolder servlet = new ServletHolder(new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getWriter().print("ok");
            }
        });
        servlet.setAsyncSupported(true);
        context.addServlet(servlet, "/*");
        server.setHandler(context);
        server.start();
        uri = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
    }

    private static RateLimitConfig config(long average, Duration period, long burst) {
        return new RateLimitConfig(average, period, burst, null, null);
    }

    private HttpResponse<String> get(String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void later(long millis) {
        clock.addAndGet(millis * MS);
    }

    private void assertLimited(HttpResponse<String> response, String retryAfter, String retryIn) {
        assertEquals(429, response.statusCode());
        assertEquals("Too Many Requests", response.body());
        assertEquals(retryAfter, response.headers().firstValue("Retry-After").orElse(null), "Retry-After");
        assertEquals(retryIn, response.headers().firstValue("X-Retry-In").orElse(null), "X-Retry-In");
    }

    @Test
    void theBurstGoesAtOnceThenOneTokenPerShareOfThePeriod() throws Exception {
        // conf/middlewares.d/traffic.toml's traffic-rate: 100 a minute, burst 20: a token every 600 ms.
        start(config(100, Duration.ofMinutes(1), 20));
        for (int i = 0; i < 20; i++) {
            assertEquals(200, get().statusCode(), "request " + i + " of the burst");
        }
        assertLimited(get(), "1", "600ms");
        later(50);
        assertLimited(get(), "1", "550ms");
        later(600);
        assertEquals(200, get().statusCode(), "the token of the next 600 ms");
        assertLimited(get(), "1", "550ms");
        assertEquals(List.of(), delays, "below one token a second a request may wait 500 ms at most, never 600");
    }

    @Test
    void aWaitUpToHalfATokenIntervalIsDelayedByExactlyThatWait() throws Exception {
        start(config(10, null, 1)); // period defaults to 1 s: a token every 100 ms, waits up to 50 ms delayed
        assertEquals(200, get().statusCode());
        later(60);
        HttpResponse<String> delayed = get();
        assertEquals(200, delayed.statusCode());
        assertEquals("ok", delayed.body());
        assertEquals(List.of(40 * MS), delays, "delayed until its token came, taken in advance");
        assertLimited(get(), "1", "140ms");
        later(140);
        assertEquals(200, get().statusCode(), "the token taken in advance was paid back first");
        assertEquals(1, delays.size());
    }

    @Test
    void averageOverALongPeriodGivesWholeSecondRetryAfter() throws Exception {
        start(config(6, Duration.ofMinutes(1), 1)); // one every 10 s
        assertEquals(200, get().statusCode());
        assertLimited(get(), "10", "10s");
        later(9_000);
        assertLimited(get(), "1", "1s");
        later(500);
        assertEquals(200, get().statusCode(), "500 ms away: the longest wait that is delayed");
        assertEquals(List.of(500 * MS), delays);
        assertLimited(get(), "11", "10.5s");
    }

    @Test
    void aBucketNeverHoldsMoreThanItsBurst() throws Exception {
        start(config(10, null, 2));
        later(3_600_000); // an hour idle
        assertEquals(200, get().statusCode());
        assertEquals(200, get().statusCode());
        assertLimited(get(), "1", "100ms");
    }

    @Test
    void eachSourceHasItsOwnBucketAndAverageZeroLimitsNothing() throws Exception {
        start(new RateLimitConfig(1L, Duration.ofMinutes(1), 1L, new SourceCriterionConfig(null, "X-Api-Key", false), null));
        assertEquals(200, get("X-Api-Key", "alice").statusCode());
        assertLimited(get("X-Api-Key", "alice"), "60", "1m");
        assertEquals(200, get("X-Api-Key", "bob").statusCode(), "another source, another bucket");
        assertEquals(200, get().statusCode(), "no header is a source of its own");
        server.stop();
        scheduler.stop();

        start(config(0, null, 1));
        for (int i = 0; i < 50; i++) {
            assertEquals(200, get().statusCode());
        }
        assertTrue(delays.isEmpty());
    }
}
