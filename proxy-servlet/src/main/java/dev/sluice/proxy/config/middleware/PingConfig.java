package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.Problems;

/** {@code ping} (Pingap's plugin): answers 200 {@code pong} to requests for exactly {@code path}; other paths go on. */
public record PingConfig(String path) implements MiddlewareOptions {
    @Override
    public void validate(String key, Problems problems, HttpConfig http) {
        if (path == null || !path.startsWith("/")) {
            problems.add(key + ".path", "must start with \"/\", got " + (path == null ? "nothing" : "\"" + path + "\""));
        }
    }
}
