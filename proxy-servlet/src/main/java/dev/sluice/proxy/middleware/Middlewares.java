package dev.sluice.proxy.middleware;

import dev.sluice.proxy.config.MiddlewareConfig;
import jakarta.servlet.Filter;
import java.util.Map;
import java.util.function.Function;

/**
 * The registry of middleware types, keyed by their TOML type name. A new middleware is a config
 * field in {@link MiddlewareConfig}, a {@link Filter} class, and one entry here.
 */
public final class Middlewares {
    private static final Map<String, Function<Object, Filter>> TYPES = Map.of(
            "stripPrefix", config -> new StripPrefix(((MiddlewareConfig.StripPrefix) config).prefixes()),
            "addPrefix", config -> new AddPrefix(((MiddlewareConfig.AddPrefix) config).prefix()));

    private Middlewares() {}

    /** The filter for one configured middleware (validated beforehand). */
    public static Filter create(MiddlewareConfig config) {
        Map.Entry<String, Object> only = config.types().entrySet().iterator().next();
        Function<Object, Filter> factory = TYPES.get(only.getKey());
        if (factory == null) {
            throw new IllegalArgumentException("unknown middleware type " + only.getKey());
        }
        return factory.apply(only.getValue());
    }
}
