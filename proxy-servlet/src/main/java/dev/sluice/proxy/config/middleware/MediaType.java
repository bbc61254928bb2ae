package dev.sluice.proxy.config.middleware;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed {@code type/subtype; name=value} (as Go's {@code mime.ParseMediaType}, which Traefik
 * uses): type and parameter names lower case, quotes removed.
 */
public record MediaType(String type, Map<String, String> params) {
    public MediaType {
        params = Map.copyOf(params);
    }

    /** Parses {@code text}; throws IllegalArgumentException when it is no media type. */
    public static MediaType parse(String text) {
        String[] parts = text.split(";");
        String type = parts[0].trim().toLowerCase(Locale.ROOT);
        int slash = type.indexOf('/');
        if (slash <= 0 || slash == type.length() - 1 || type.indexOf('/', slash + 1) >= 0 || !token(type.replace("/", ""))) {
            throw new IllegalArgumentException("not a media type: \"" + text + "\"");
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].trim();
            if (param.isEmpty()) {
                continue;
            }
            int eq = param.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("bad parameter \"" + param + "\" in media type \"" + text + "\"");
            }
            String value = param.substring(eq + 1).trim();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            params.put(param.substring(0, eq).trim().toLowerCase(Locale.ROOT), value);
        }
        return new MediaType(type, params);
    }

    private static boolean token(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0);
    }

    /**
     * Whether {@code other} is of this type: same type, and when this one has parameters, exactly
     * the same ones ({@code text/html} matches {@code text/html; charset=utf-8}, not the reverse).
     */
    public boolean matches(MediaType other) {
        return type.equals(other.type) && (params.isEmpty() || params.equals(other.params));
    }
}
