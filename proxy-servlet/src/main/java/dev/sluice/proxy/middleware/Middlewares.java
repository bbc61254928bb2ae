package dev.sluice.proxy.middleware;

import dev.sluice.proxy.config.MiddlewareConfig;
import dev.sluice.proxy.config.middleware.AddPrefixConfig;
import dev.sluice.proxy.config.middleware.CircuitBreakerConfig;
import dev.sluice.proxy.config.middleware.InFlightReqConfig;
import dev.sluice.proxy.config.middleware.IpAllowListConfig;
import dev.sluice.proxy.config.middleware.MiddlewareOptions;
import dev.sluice.proxy.config.middleware.RateLimitConfig;
import dev.sluice.proxy.config.middleware.RetryConfig;
import dev.sluice.proxy.config.middleware.StripPrefixConfig;
import jakarta.servlet.Filter;
import java.util.HashMap;
import java.util.Map;

/**
 * The filter factory of every middleware type, by options record. A new type is a record in
 * {@code dev.sluice.proxy.config.middleware.MiddlewareTypes}, a {@link Filter}, and one line here.
 * {@code chain} has no filter: it is expanded in place where it is referenced.
 */
public final class Middlewares {
    private static final Map<Class<?>, MiddlewareFactory<?>> FACTORIES = new HashMap<>();

    static {
        // paths and redirects
        register(AddPrefixConfig.class, (o, c) -> new AddPrefix(o.prefix()));
        register(StripPrefixConfig.class, (o, c) -> new StripPrefix(o.prefixes()));
        // end paths and redirects

        // headers and small answers
        // end headers and small answers

        // authentication
        // end authentication

        // traffic control
        register(IpAllowListConfig.class, (o, c) -> new IpAllowList(o));
        register(RateLimitConfig.class, (o, c) -> new RateLimit(o, c.scheduler(), c.httpClient().getExecutor()));
        register(InFlightReqConfig.class, (o, c) -> new InFlightReq(o));
        register(RetryConfig.class, Retry::new);
        register(CircuitBreakerConfig.class, (o, c) -> new CircuitBreaker(o));
        // end traffic control

        // bodies
        // end bodies
    }

    private Middlewares() {}

    private static <O extends MiddlewareOptions> void register(Class<O> options, MiddlewareFactory<O> factory) {
        FACTORIES.put(options, factory);
    }

    /** The filter for one configured middleware (validated beforehand). */
    @SuppressWarnings("unchecked")
    public static Filter create(MiddlewareConfig config, MiddlewareContext context) throws Exception {
        MiddlewareFactory<MiddlewareOptions> factory = (MiddlewareFactory<MiddlewareOptions>) FACTORIES.get(config.options().getClass());
        if (factory == null) {
            throw new IllegalArgumentException("middleware type " + config.type() + " has no filter");
        }
        return factory.create(config.options(), context);
    }
}
