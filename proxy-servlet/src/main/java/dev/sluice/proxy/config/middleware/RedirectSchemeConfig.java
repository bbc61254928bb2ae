package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.Problems;

/**
 * {@code redirectScheme}: redirects to the same host and path with {@code scheme} (and {@code port},
 * omitted when it is the scheme's default) when the request's URL differs from that. The request's
 * scheme is that of its connection, or a trusted {@code X-Forwarded-Proto}.
 */
public record RedirectSchemeConfig(String scheme, String port, Boolean permanent) implements MiddlewareOptions {
    public RedirectSchemeConfig {
        port = port == null ? "" : port;
        permanent = permanent != null && permanent;
    }

    @Override
    public void validate(String path, Problems problems, HttpConfig http) {
        if (scheme == null || scheme.isEmpty()) {
            problems.add(path + ".scheme", "required, e.g. scheme = \"https\"");
        } else if (!scheme.matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            problems.add(path + ".scheme", "\"" + scheme + "\" is not a URL scheme");
        }
        if (!port.isEmpty() && !(port.matches("[0-9]{1,5}") && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535)) {
            problems.add(path + ".port", "must be a port number between 1 and 65535, got \"" + port + "\"");
        }
    }
}
