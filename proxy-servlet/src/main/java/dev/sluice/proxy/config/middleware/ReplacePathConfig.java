package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.Problems;

/** {@code replacePath}: the path becomes {@code path} (raw, percent-encoded); the original goes in {@code X-Replaced-Path}. */
public record ReplacePathConfig(String path) implements MiddlewareOptions {
    @Override
    public void validate(String key, Problems problems, HttpConfig http) {
        if (path == null || !path.startsWith("/")) {
            problems.add(key + ".path", "must start with \"/\", got " + (path == null ? "nothing" : "\"" + path + "\""));
        } else if (!PercentEncoding.isValid(path)) {
            problems.add(key + ".path", "\"" + path + "\" has a '%' not followed by two hex digits");
        }
    }
}
