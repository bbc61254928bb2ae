package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.Problems;

/**
 * {@code replacePathRegex}: every match of {@code regex} in the raw path is replaced by
 * {@code replacement} ({@code $1}, {@code ${name}} as in Go); the original path goes in
 * {@code X-Replaced-Path}. A path the regex does not match is left alone.
 */
public record ReplacePathRegexConfig(String regex, String replacement) implements MiddlewareOptions {
    @Override
    public void validate(String path, Problems problems, HttpConfig http) {
        GoRegex.check(path + ".regex", regex, problems);
        if (replacement == null || replacement.isEmpty()) {
            // Traefik silently does nothing without a replacement; a config that does nothing is a mistake.
            problems.add(path + ".replacement", "required, e.g. replacement = \"/v2$1\"");
        }
    }
}
