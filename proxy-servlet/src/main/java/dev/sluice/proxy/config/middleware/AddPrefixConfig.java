package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.Problems;

/** {@code addPrefix}: prepends {@code prefix} to the path. */
public record AddPrefixConfig(String prefix) implements MiddlewareOptions {
    @Override
    public void validate(String path, Problems problems, HttpConfig http) {
        if (prefix == null || !prefix.startsWith("/")) {
            problems.add(path + ".prefix", "must start with \"/\", got " + (prefix == null ? "nothing" : "\"" + prefix + "\""));
        }
    }
}
