package dev.sluice.proxy.rule;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a raw query string into decoded keys and values ({@code ?flag} has the value {@code ""}).
 * Done by hand because a servlet's {@code getParameter} would also consume a form body that must go
 * upstream untouched.
 */
public final class QueryString {
    private QueryString() {}

    public static Map<String, List<String>> parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> parsed = new HashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            parsed.computeIfAbsent(key, k -> new ArrayList<>(1)).add(value);
        }
        return parsed;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // a malformed escape matches only literally
        }
    }
}
