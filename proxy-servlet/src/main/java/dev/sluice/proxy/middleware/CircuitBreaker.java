package dev.sluice.proxy.middleware;

import dev.sluice.proxy.service.Exchange;
import dev.sluice.proxy.service.ShortAnswers;
import dev.sluice.proxy.config.middleware.CircuitBreakerConfig;
import dev.sluice.proxy.middleware.circuitbreaker.Breaker;
import dev.sluice.proxy.middleware.circuitbreaker.Expression;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code circuitBreaker}: a {@link Breaker} judging what happens after this middleware: the status
 * the client got from the rest of the chain and the time until the exchange was over. While it is
 * open (or holding back part of the traffic while recovering) requests get {@code responseCode}.
 * One instance per configured middleware: routers naming the same one share its state.
 */
public final class CircuitBreaker implements Filter {
    private final Breaker breaker;
    private final int responseCode;
    private final String name;

    public CircuitBreaker(CircuitBreakerConfig config) {
        this(config, "circuitBreaker");
    }

    /** @param name the middleware's name, which metrics count its refusals under */
    public CircuitBreaker(CircuitBreakerConfig config, String name) {
        this.name = name;
        this.breaker = new Breaker(Expression.parse(config.expression()), config.checkPeriod(), config.fallbackDuration(),
                config.recoveryDuration(), System::nanoTime);
        this.responseCode = config.responseCode();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletResponse response = (HttpServletResponse) res;
        if (!breaker.allow()) {
            Exchange exchange = Exchange.of(req);
            if (exchange != null) {
                exchange.refusedBy(name, "circuitBreaker");
            }
            ShortAnswers.status((HttpServletRequest) req, response, responseCode);
            return;
        }
        long start = System.nanoTime();
        Exchange.of(req).onEnd(() -> breaker.record(response.getStatus(), System.nanoTime() - start));
        chain.doFilter(req, res);
    }
}
