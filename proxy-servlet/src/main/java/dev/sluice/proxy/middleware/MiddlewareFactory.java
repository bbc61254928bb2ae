package dev.sluice.proxy.middleware;

import dev.sluice.proxy.config.middleware.MiddlewareOptions;
import jakarta.servlet.Filter;

/** Makes the filter of one configured middleware; its options passed validation already. */
@FunctionalInterface
public interface MiddlewareFactory<O extends MiddlewareOptions> {
    Filter create(O options, MiddlewareContext context) throws Exception;
}
