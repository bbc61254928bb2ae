package dev.sluice.proxy.middleware;

import dev.sluice.proxy.config.middleware.StatusRanges;
import dev.sluice.proxy.config.middleware.RetryConfig;
import dev.sluice.proxy.service.Exchange;
import dev.sluice.proxy.service.Retries;
import dev.sluice.proxy.service.Upgrades;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;

/**
 * {@code retry}: arms {@link Retries} in the request's exchange; the proxy servlet does the tries,
 * each on a server the router's service picks anew, the same way a failover replays on its
 * fallback. Only the upstream's failures and answers are retried: what a later middleware or a
 * static service answers is not, and neither is anything once the client got part of an answer.
 * Middlewares after this one run once, for the first try.
 */
public final class Retry implements Filter {
    private final Retries.Policy policy;
    private final MiddlewareContext context;

    public Retry(RetryConfig config, MiddlewareContext context) {
        this.policy = new Retries.Policy(config.attempts(), StatusRanges.parse(config.status()), !config.disableRetryOnNetworkError(),
                config.retryNonIdempotentMethod(), config.initialInterval().toNanos(), config.timeout().toNanos(),
                config.maxRequestBodyBytes());
        this.context = context;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        Exchange exchange = Exchange.of(req);
        if (policy.attempts() <= 1 || exchange == null || Upgrades.requested(req)) {
            // One try, outside Sluice's routing (a web.xml filter), or an upgrade (a tunnel is never replayed).
            chain.doFilter(req, res);
            return;
        }
        chain.doFilter(Retries.arm(exchange, (HttpServletRequest) req, policy, context.service(exchange.service())), res);
    }
}
