package dev.sluice.proxy.middleware;

import dev.sluice.proxy.service.Exchange;
import dev.sluice.proxy.service.ShortAnswers;
import dev.sluice.proxy.config.middleware.InFlightReqConfig;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * {@code inFlightReq}: at most {@code amount} requests of one source between entering this
 * middleware and the end of their exchange (the last byte of the answer, or its failure); one more
 * gets 429. Only sources with requests in flight take memory.
 */
public final class InFlightReq implements Filter {
    private final long amount;
    private final Function<HttpServletRequest, String> source;
    private final ConcurrentHashMap<String, Long> inFlight = new ConcurrentHashMap<>();
    private final String name;

    public InFlightReq(InFlightReqConfig config) {
        this(config, "inFlightReq");
    }

    /** @param name the middleware's name, which metrics count its refusals under */
    public InFlightReq(InFlightReqConfig config, String name) {
        this.name = name;
        this.amount = config.amount();
        this.source = Sources.of(config.sourceCriterion());
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        String key = source.apply((HttpServletRequest) req);
        if (!acquire(key)) {
            Exchange exchange = Exchange.of(req);
            if (exchange != null) {
                exchange.refusedBy(name, "inFlightReq");
            }
            ShortAnswers.status((HttpServletRequest) req, (HttpServletResponse) res, 429);
            return;
        }
        Exchange.of(req).onEnd(() -> release(key));
        chain.doFilter(req, res);
    }

    private boolean acquire(String key) {
        boolean[] acquired = {false};
        inFlight.compute(key, (k, n) -> {
            long current = n == null ? 0 : n;
            if (current >= amount) {
                return n;
            }
            acquired[0] = true;
            return current + 1;
        });
        return acquired[0];
    }

    private void release(String key) {
        inFlight.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    }
}
