package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.Problems;
import java.util.Map;

/**
 * Header names and values as configured: names must be RFC 9110 tokens, values must not break the
 * header block (no CR, LF or NUL). Also splits Pingap's {@code "Name:value"} lines.
 */
public final class HeaderSyntax {
    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

    private HeaderSyntax() {}

    public static boolean isName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || TOKEN_SYMBOLS.indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    public static boolean isValue(String value) {
        return value != null && value.indexOf('\r') < 0 && value.indexOf('\n') < 0 && value.indexOf('\0') < 0;
    }

    /** Reports {@code name} under {@code path} unless it is a valid header name. */
    public static void checkName(String path, String name, Problems problems) {
        if (!isName(name)) {
            problems.add(path, "not a valid header name: \"" + name + "\"");
        }
    }

    /** Checks every name of {@code headers} and every value (the empty value is allowed: it removes). */
    public static void checkMap(String path, Map<String, String> headers, Problems problems) {
        headers.forEach((name, value) -> {
            checkName(path + "." + name, name, problems);
            if (!isValue(value)) {
                problems.add(path + "." + name, "header values cannot contain CR, LF or NUL");
            }
        });
    }

    /**
     * Pingap's {@code "Name:value"} line as name and trimmed value, or null if it has no colon. The
     * first colon splits, so values may hold colons ({@code "Link:<https://x>"}).
     */
    public static Map.Entry<String, String> split(String line) {
        int colon = line == null ? -1 : line.indexOf(':');
        if (colon < 0) {
            return null;
        }
        return Map.entry(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
    }

    /** Reports a {@code "Name:value"} line under {@code path} unless it splits into a valid name and value. */
    public static void checkLine(String path, String line, Problems problems) {
        Map.Entry<String, String> header = split(line);
        if (header == null) {
            problems.add(path, "expected \"Name:value\", got \"" + line + "\"");
            return;
        }
        checkName(path, header.getKey(), problems);
        if (!isValue(header.getValue())) {
            problems.add(path, "header values cannot contain CR, LF or NUL");
        }
    }
}
