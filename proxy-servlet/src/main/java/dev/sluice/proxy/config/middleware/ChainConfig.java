package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.Problems;
import java.util.List;
import java.util.function.UnaryOperator;

/** {@code chain}: other middlewares, run in order where the chain is referenced. */
public record ChainConfig(List<String> middlewares) implements MiddlewareOptions {
    public ChainConfig {
        middlewares = middlewares == null ? List.of() : List.copyOf(middlewares);
    }

    @Override
    public void validate(String path, Problems problems, HttpConfig http) {
        if (middlewares.isEmpty()) {
            problems.add(path + ".middlewares", "at least one middleware required");
        }
        // References and cycles are checked by ConfigValidator, which sees every chain at once.
    }

    @Override
    public MiddlewareOptions plainNames(UnaryOperator<String> plain) {
        return new ChainConfig(middlewares.stream().map(plain).toList());
    }
}
