package dev.sluice.proxy.servlet;

import com.fasterxml.jackson.dataformat.toml.TomlMapper;

/** Turns init-param text into TOML: keys quoted when needed, values kept when they are TOML, else quoted. */
final class TomlText {
    private static final TomlMapper TOML = new TomlMapper();

    private TomlText() {}

    static String key(String name) {
        return name.matches("[A-Za-z0-9_-]+") ? name : quote(name);
    }

    static String value(String text) {
        String trimmed = text.trim();
        try {
            TOML.readTree("v = " + trimmed);
            return trimmed;
        } catch (Exception notToml) {
            return quote(trimmed);
        }
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
