package dev.sluice.proxy.middleware.cache;

import dev.sluice.proxy.middleware.BodyWriter;
import dev.sluice.proxy.middleware.CompletionHook;
import dev.sluice.proxy.middleware.cache.Cache.StoragePolicy;
import dev.sluice.proxy.middleware.cache.CachedResponse.Header;
import dev.sluice.proxy.middleware.cache.Flights.Flight;
import dev.sluice.proxy.service.Exchange;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request through the cache: memory, then disk, then upstream (leading a flight or waiting for
 * one). When it has to wait (disk, another request's flight) it goes asynchronous itself and
 * resumes the chain from the callback; whatever runs downstream then joins that asynchronous cycle.
 */
final class CacheLookup {
    private static final Logger LOG = LoggerFactory.getLogger(CacheLookup.class);
    /** Response headers never stored: of the connection, recomputed on a hit, or this cache's own. */
    private static final Set<String> NOT_STORED = Set.of("connection", "keep-alive", "transfer-encoding", "te", "trailer",
            "upgrade", "proxy-authenticate", "content-length", "age", "x-cache-status");

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final FilterChain chain;
    private final String primary;
    private final CacheStore store;
    private final Flights flights;
    private final StoragePolicy policy;
    private final boolean head;
    /** Set when this lookup went asynchronous itself (to wait), so it completes what it started. */
    private AsyncContext async;

    CacheLookup(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String primary, CacheStore store,
            Flights flights, StoragePolicy policy) {
        this.request = request;
        this.response = response;
        this.chain = chain;
        this.primary = primary;
        this.store = store;
        this.flights = flights;
        this.policy = policy;
        this.head = request.getMethod().equals("HEAD");
    }

    void start() throws IOException, ServletException {
        long now = System.currentTimeMillis();
        CachedResponse entry = store.inMemory(primary, request);
        if (entry != null && entry.isFresh(now)) {
            serve(entry, now);
        } else if (entry != null) {
            store.remove(primary, request);
            fetch("EXPIRED");
        } else if (store.hasDisk()) {
            async = goAsync();
            store.onDisk(primary, request, now, found -> resume(() -> {
                if (found != null) {
                    serve(found, System.currentTimeMillis());
                } else {
                    fetch("MISS");
                }
            }));
        } else {
            fetch("MISS");
        }
    }

    /** Upstream: as the leader of this key's flight, or after waiting for the leader to land. */
    private void fetch(String cacheStatus) throws IOException, ServletException {
        Flight flight = head ? null : flights.board(primary);
        if (flight == null || flight.leads()) {
            forward(cacheStatus, flight);
            return;
        }
        if (async == null) {
            async = goAsync();
        }
        flight.await(() -> resume(this::afterWaiting));
    }

    private void afterWaiting() throws IOException, ServletException {
        long now = System.currentTimeMillis();
        CachedResponse entry = store.inMemory(primary, request);
        if (entry != null && entry.isFresh(now)) {
            serve(entry, now);
        } else {
            forward("MISS", null); // the leader stored nothing, or took longer than the lock
        }
    }

    private void forward(String cacheStatus, Flight flight) throws IOException, ServletException {
        CapturingResponse capturing = new CapturingResponse(response, cacheStatus, head ? -1 : policy.maxEntryBytes());
        CompletionHook hooked = new CompletionHook(request, capturing, complete -> {
            try {
                keep(capturing);
            } catch (RuntimeException e) {
                LOG.warn("cache: answer for {} not stored", request.getRequestURI(), e);
            } finally {
                land(flight);
                complete.run();
            }
        });
        try {
            chain.doFilter(hooked, capturing);
        } finally {
            if (!hooked.startedAsync() && !redispatched()) {
                // Written before doFilter returned (Sluice's own errors): never stored.
                land(flight);
                if (async != null) {
                    async.complete();
                }
            }
        }
    }

    /** The chain was resumed through a dispatch: the answer comes in that later dispatch. */
    private boolean redispatched() {
        Exchange exchange = Exchange.of(request);
        return exchange != null && exchange.isRedispatched();
    }

    private static void land(Flight flight) {
        if (flight != null) {
            flight.land();
        }
    }

    /** Stores the answer that just completed, if it is whole and the upstream made it cacheable. */
    private void keep(CapturingResponse answer) {
        byte[] body = answer.body();
        if (body == null || head) {
            return;
        }
        long now = System.currentTimeMillis();
        List<Header> headers = new ArrayList<>();
        for (String name : new LinkedHashSet<>(answer.getHeaderNames())) {
            if (!NOT_STORED.contains(name.toLowerCase(Locale.ROOT))) {
                for (String value : answer.getHeaders(name)) {
                    headers.add(new Header(name, value));
                }
            }
        }
        Freshness.Headers freshness = new Freshness.Headers(values(answer, "Cache-Control"), values(answer, "Expires"),
                values(answer, "Date"), values(answer, "Age"), values(answer, "Vary"), answer.getHeader("Set-Cookie") != null);
        Duration lifetime = Freshness.lifetime(answer.getStatus(), freshness, request.getHeader("Authorization") != null, policy.maxTtl(), now);
        String length = answer.getHeader("Content-Length");
        if (lifetime == null || (length != null && !length.equals(Integer.toString(body.length)))) {
            return; // not cacheable, or cut short
        }
        store.put(primary, request, varyNames(freshness.vary()),
                new CachedResponse(answer.getStatus(), List.copyOf(headers), body, now, now + lifetime.toMillis()));
    }

    private static List<String> values(HttpServletResponse response, String name) {
        Collection<String> values = response.getHeaders(name);
        return values == null ? List.of() : List.copyOf(values);
    }

    private static List<String> varyNames(List<String> vary) {
        List<String> names = new ArrayList<>();
        for (String value : vary) {
            for (String name : value.split(",")) {
                String trimmed = name.trim().toLowerCase(Locale.ROOT);
                if (!trimmed.isEmpty() && !names.contains(trimmed)) {
                    names.add(trimmed);
                }
            }
        }
        return names;
    }

    /** Answers from the cache, without touching the upstream. */
    private void serve(CachedResponse entry, long now) throws IOException {
        if (async == null) {
            async = goAsync();
        }
        response.setStatus(entry.status());
        Set<String> seen = new HashSet<>();
        for (Header header : entry.headers()) {
            if (seen.add(header.name().toLowerCase(Locale.ROOT))) {
                response.setHeader(header.name(), header.value());
            } else {
                response.addHeader(header.name(), header.value());
            }
        }
        response.setHeader("Age", Long.toString(entry.ageSeconds(now)));
        response.setHeader(CapturingResponse.STATUS_HEADER, "HIT");
        response.setContentLength(entry.body().length);
        BodyWriter.send(response, head ? new byte[0] : entry.body(), async::complete);
    }

    /**
     * Starts the asynchronous cycle this lookup completes itself. No container timeout: waiting is
     * bounded by the lock, the disk read and the upstream exchange, each with its own limit.
     */
    private AsyncContext goAsync() {
        AsyncContext started = request.startAsync();
        started.setTimeout(0);
        return started;
    }

    /** A step run from a callback: failures end the exchange instead of vanishing in a thread pool. */
    private void resume(Step step) {
        try {
            step.run();
        } catch (IOException | ServletException | RuntimeException e) {
            LOG.warn("cache: {} failed: {}", request.getRequestURI(), e.toString());
            try {
                if (!response.isCommitted()) {
                    response.reset();
                    response.setStatus(502);
                }
            } finally {
                async.complete();
            }
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws IOException, ServletException;
    }
}
