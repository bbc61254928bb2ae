package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.Problems;
import java.util.List;

/**
 * {@code keyAuth} (Pingap's {@code key_auth}): an API key in request header {@code header} or query
 * parameter {@code query} must be one of {@code keys}; {@code hideCredentials} keeps it from the upstream.
 */
public record KeyAuthConfig(String header, String query, List<String> keys, Boolean hideCredentials) implements MiddlewareOptions {
    public KeyAuthConfig {
        keys = keys == null ? List.of() : List.copyOf(keys);
        hideCredentials = hideCredentials != null && hideCredentials;
    }

    @Override
    public void validate(String path, Problems problems, HttpConfig http) {
        boolean byHeader = header != null && !header.isBlank();
        boolean byQuery = query != null && !query.isBlank();
        if (byHeader == byQuery) {
            problems.add(path + ".header", "give exactly one of header and query");
        }
        if (keys.isEmpty() || keys.stream().anyMatch(String::isEmpty)) {
            problems.add(path + ".keys", "at least one non-empty key required");
        }
    }
}
