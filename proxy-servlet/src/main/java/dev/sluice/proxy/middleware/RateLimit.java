package dev.sluice.proxy.middleware;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sluice.proxy.config.Durations;
import dev.sluice.proxy.config.middleware.RateLimitConfig;
import dev.sluice.proxy.service.Exchange;
import dev.sluice.proxy.service.ShortAnswers;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * {@code rateLimit}: a {@link TokenBucket} per source. A request whose token comes within a short
 * wait (half a token interval; 500 ms when less than one token comes a second) is delayed by that
 * much on the scheduler, without holding a thread; one that would wait longer gets 429 with
 * {@code Retry-After} (whole seconds, rounded up) and {@code X-Retry-In} (Go's duration format).
 *
 * <p>Buckets live in a Caffeine cache of at most {@value #MAX_SOURCES} sources (Traefik's bound);
 * a source idle long enough for its bucket to be full again is dropped, which changes nothing.
 */
public final class RateLimit implements Filter {
    static final int MAX_SOURCES = 65_536;

    private final double tokensPerSecond;
    private final long burst;
    private final long maxDelay;
    private final Function<HttpServletRequest, String> source;
    private final Cache<String, TokenBucket> buckets;
    private final Scheduler scheduler;
    private final Executor executor;
    private final String name;
    private final LongSupplier nanoClock;

    /**
     * @param scheduler times the delays
     * @param executor runs the rest of the chain after a delay: it may do more than a timer thread should
     */
    public RateLimit(RateLimitConfig config, Scheduler scheduler, Executor executor) {
        this(config, scheduler, executor, "rateLimit");
    }

    /** @param name the middleware's name, which metrics count its refusals under */
    public RateLimit(RateLimitConfig config, Scheduler scheduler, Executor executor, String name) {
        this(config, scheduler, executor, name, System::nanoTime);
    }

    /** @param nanoClock the time buckets fill and expire by: {@code System::nanoTime}, or a test's hand-driven clock */
    RateLimit(RateLimitConfig config, Scheduler scheduler, Executor executor, LongSupplier nanoClock) {
        this(config, scheduler, executor, "rateLimit", nanoClock);
    }

    private RateLimit(RateLimitConfig config, Scheduler scheduler, Executor executor, String name, LongSupplier nanoClock) {
        this.name = name;
        this.nanoClock = nanoClock;
        this.tokensPerSecond = config.tokensPerSecond();
        this.burst = config.burst();
        this.maxDelay = maxDelay(tokensPerSecond);
        this.source = Sources.of(config.sourceCriterion());
        this.scheduler = scheduler;
        this.executor = executor;
        double refillSeconds = Double.isInfinite(tokensPerSecond) ? 0 : burst / tokensPerSecond;
        this.buckets = Caffeine.newBuilder()
                .maximumSize(MAX_SOURCES)
                .ticker(nanoClock::getAsLong)
                .expireAfterAccess(Duration.ofMillis((long) Math.min(Long.MAX_VALUE / 2, Math.ceil(refillSeconds * 1000) + 1000)))
                .build();
    }

    /** Traefik's bound on the wait: half the interval between tokens, truncated as Go does; 500 ms below one token a second. */
    static long maxDelay(double tokensPerSecond) {
        if (Double.isInfinite(tokensPerSecond)) {
            return 0;
        }
        return tokensPerSecond < 1 ? TimeUnit.MILLISECONDS.toNanos(500) : 1_000_000_000L / ((long) tokensPerSecond * 2);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (Double.isInfinite(tokensPerSecond)) {
            chain.doFilter(req, res); // average = 0: no limit
            return;
        }
        HttpServletRequest request = (HttpServletRequest) req;
        long now = nanoClock.getAsLong();
        TokenBucket bucket = buckets.get(source.apply(request), key -> new TokenBucket(tokensPerSecond, burst, now));
        long wait = bucket.reserve(now, maxDelay);
        if (wait == 0) {
            chain.doFilter(req, res);
        } else if (wait <= maxDelay) {
            AsyncContext context = Exchange.of(request).suspend(request);
            scheduler.schedule(() -> executor.execute(() -> Resumed.resume(context, chain, request, res)), wait, TimeUnit.NANOSECONDS);
        } else {
            Exchange exchange = Exchange.of(request);
            if (exchange != null) {
                exchange.refusedBy(name, "rateLimit");
            }
            tooMany(request, (HttpServletResponse) res, wait);
        }
    }

    private static void tooMany(HttpServletRequest request, HttpServletResponse response, long waitNanos) throws IOException {
        long millis = (waitNanos + 999_999) / 1_000_000;
        response.setHeader("Retry-After", Long.toString((millis + 999) / 1000));
        response.setHeader("X-Retry-In", Durations.format(Duration.ofMillis(millis)));
        ShortAnswers.status(request, response, 429);
    }
}
