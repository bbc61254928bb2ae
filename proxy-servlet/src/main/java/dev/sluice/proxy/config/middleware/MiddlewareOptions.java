package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.Problems;
import java.util.function.UnaryOperator;

/**
 * The options of one middleware type ({@code [http.middlewares.NAME.TYPE]}), bound from TOML or
 * YAML. Each type is a record implementing this and registered in {@link MiddlewareTypes}.
 */
public interface MiddlewareOptions {
    /**
     * Reports what binding cannot catch (bad regex, empty user list, unknown service) under
     * {@code path}, which is {@code http.middlewares.NAME.TYPE}.
     */
    default void validate(String path, Problems problems, HttpConfig http) {}

    /** A copy with relative file names resolved by {@code file} (against the config file's directory). */
    default MiddlewareOptions resolvePaths(UnaryOperator<String> file) {
        return this;
    }

    /** A copy with provider suffixes ({@code @file}) dropped from names it refers to. */
    default MiddlewareOptions plainNames(UnaryOperator<String> plain) {
        return this;
    }
}
