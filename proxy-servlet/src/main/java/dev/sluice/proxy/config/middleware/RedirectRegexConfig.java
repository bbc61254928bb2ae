package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.Problems;

/**
 * {@code redirectRegex}: when {@code regex} matches the request's URL
 * ({@code scheme://host[:port]/path?query}), redirects to that URL with every match replaced by
 * {@code replacement} ({@code ${1}} as in Go). No match, or a replacement that changes nothing: the
 * request goes on.
 */
public record RedirectRegexConfig(String regex, String replacement, Boolean permanent) implements MiddlewareOptions {
    public RedirectRegexConfig {
        permanent = permanent != null && permanent;
    }

    @Override
    public void validate(String path, Problems problems, HttpConfig http) {
        GoRegex.check(path + ".regex", regex, problems);
        if (replacement == null || replacement.isEmpty()) {
            problems.add(path + ".replacement", "required, e.g. replacement = \"https://www.example.com/${1}\"");
        }
    }
}
