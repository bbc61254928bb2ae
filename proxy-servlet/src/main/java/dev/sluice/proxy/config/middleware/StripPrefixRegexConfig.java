package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.Problems;
import java.util.List;

/**
 * {@code stripPrefixRegex}: removes the first prefix of the path that one of {@code regex} matches
 * (tried in order, anchored at the start of the path), remembered in {@code X-Forwarded-Prefix}.
 */
public record StripPrefixRegexConfig(List<String> regex) implements MiddlewareOptions {
    public StripPrefixRegexConfig {
        regex = regex == null ? List.of() : List.copyOf(regex);
    }

    @Override
    public void validate(String path, Problems problems, HttpConfig http) {
        if (regex.isEmpty()) {
            problems.add(path + ".regex", "at least one regular expression required");
        }
        for (int i = 0; i < regex.size(); i++) {
            GoRegex.check(path + ".regex[" + i + "]", regex.get(i), problems);
        }
    }
}
