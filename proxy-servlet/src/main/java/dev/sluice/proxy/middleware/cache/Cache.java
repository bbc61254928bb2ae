package dev.sluice.proxy.middleware.cache;

import dev.sluice.proxy.config.IpRanges;
import dev.sluice.proxy.config.middleware.CacheConfig;
import dev.sluice.proxy.middleware.MiddlewareContext;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * {@code cache} (Pingap's cache plugin): answers GET and HEAD from stored copies of fresh upstream
 * answers, so that a hit never reaches the upstream. Every answer says what happened in
 * {@code X-Cache-Status}: {@code HIT} (from the cache, with {@code Age}), {@code MISS} (fetched;
 * stored if cacheable), {@code EXPIRED} (the stored copy was stale; fetched again), {@code BYPASS}
 * (not for the cache: other methods, {@code Range}, {@code skip}).
 *
 * <p>On a miss the body streams to the client while a copy is kept, up to {@code maxEntrySize};
 * the entry is stored when the answer is complete. Concurrent misses of one key wait (up to
 * {@code lock}) for the first one instead of all going upstream. {@code PURGE} from an address in
 * {@code purgeIpList} removes every variant of its URL (204); from anyone else it gets 403. Neither
 * reaches the upstream.
 */
public final class Cache implements Filter {
    private final CacheKeys keys;
    private final CacheStore store;
    private final Flights flights;
    private final StoragePolicy policy;
    private final IpRanges purgers;
    private final Pattern skip;

    Cache(CacheKeys keys, CacheStore store, Flights flights, StoragePolicy policy, IpRanges purgers, Pattern skip) {
        this.keys = keys;
        this.store = store;
        this.flights = flights;
        this.policy = policy;
        this.purgers = purgers;
        this.skip = skip;
    }

    public static Cache create(CacheConfig options, MiddlewareContext context) throws IOException {
        int maxEntryBytes = (int) options.maxEntrySize().bytes();
        DiskTier disk = null;
        if (options.directory() != null) {
            Path directory = Path.of(options.directory());
            disk = new DiskTier(options.namespace().isEmpty() ? directory : directory.resolve(options.namespace()), maxEntryBytes,
                    "sluice-cache-" + context.name());
        }
        CacheStore store = new CacheStore(options.maxSize().bytes(), disk);
        context.onClose(store);
        return new Cache(new CacheKeys(options.namespace(), options.headers()), store,
                new Flights(context.scheduler(), options.lock()), new StoragePolicy(maxEntryBytes, options.maxTtl()),
                IpRanges.parse(options.purgeIpList()), options.skip() == null ? null : Pattern.compile(options.skip()));
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        if ("PURGE".equals(request.getMethod())) {
            purge(request, response);
        } else if (bypasses(request)) {
            chain.doFilter(request, new CapturingResponse(response, "BYPASS", -1));
        } else {
            new CacheLookup(request, response, chain, keys.primary(request), store, flights, policy).start();
        }
    }

    private boolean bypasses(HttpServletRequest request) {
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD") || request.getHeader("Range") != null) {
            return true;
        }
        if (skip == null) {
            return false;
        }
        String query = request.getQueryString();
        return skip.matcher(query == null ? request.getRequestURI() : request.getRequestURI() + "?" + query).find();
    }

    private void purge(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!mayPurge(request)) {
            byte[] body = "403 Forbidden\n".getBytes(StandardCharsets.UTF_8);
            response.setStatus(403);
            response.setContentType("text/plain; charset=utf-8");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            return;
        }
        AsyncContext async = request.startAsync();
        store.purge(keys.primary(request), () -> {
            response.setStatus(204);
            async.complete();
        });
    }

    private boolean mayPurge(HttpServletRequest request) {
        try {
            // getRemoteAddr() is an IP literal: no name lookup happens here.
            return !purgers.isEmpty() && purgers.contains(InetAddress.getByName(request.getRemoteAddr()));
        } catch (IOException e) {
            return false;
        }
    }

    /** What may be stored and for how long, from the options. */
    record StoragePolicy(int maxEntryBytes, Duration maxTtl) {}
}
