package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.Problems;
import java.util.List;

/** {@code stripPrefix}: removes the first matching prefix, remembered in {@code X-Forwarded-Prefix}. */
public record StripPrefixConfig(List<String> prefixes) implements MiddlewareOptions {
    public StripPrefixConfig {
        prefixes = prefixes == null ? List.of() : List.copyOf(prefixes);
    }

    @Override
    public void validate(String path, Problems problems, HttpConfig http) {
        if (prefixes.isEmpty()) {
            problems.add(path + ".prefixes", "at least one prefix required");
        }
    }
}
