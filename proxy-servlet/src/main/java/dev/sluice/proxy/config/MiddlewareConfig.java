package dev.sluice.proxy.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code [http.middlewares.NAME]}: exactly one middleware type, keyed by its TOML type name. Adding a
 * type means a field here and an entry in {@code dev.sluice.proxy.middleware.Middlewares}.
 */
public record MiddlewareConfig(StripPrefix stripPrefix, AddPrefix addPrefix) {

    /** The types that are set, by TOML type name. */
    public Map<String, Object> types() {
        Map<String, Object> types = new LinkedHashMap<>();
        if (stripPrefix != null) {
            types.put("stripPrefix", stripPrefix);
        }
        if (addPrefix != null) {
            types.put("addPrefix", addPrefix);
        }
        return types;
    }

    /** {@code stripPrefix}: removes the first matching prefix, remembered in {@code X-Forwarded-Prefix}. */
    public record StripPrefix(List<String> prefixes) {
        public StripPrefix {
            prefixes = Frozen.list(prefixes);
        }
    }

    /** {@code addPrefix}: prepends {@code prefix} to the path. */
    public record AddPrefix(String prefix) {}
}
