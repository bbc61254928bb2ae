package dev.sluice.proxy.config.middleware;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/**
 * A size in bytes written as Pingap writes it: {@code "100mb"}, {@code "512kb"}, {@code "1gb"},
 * {@code "64kib"}, {@code "1mib"}, or a bare number of bytes. Decimal units are powers of 1000 and
 * binary ones ({@code kib}, {@code mib}, {@code gib}) powers of 1024, as in Rust's bytesize crate.
 */
public record ByteSize(long bytes) {
    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("size must not be negative, got " + bytes);
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ByteSize of(Object value) {
        if (value instanceof Number number && !(value instanceof Double || value instanceof Float)) {
            return new ByteSize(number.longValue());
        }
        if (value instanceof String text) {
            return parse(text);
        }
        throw new IllegalArgumentException("expected a size such as \"100mb\" or a number of bytes, got " + value);
    }

    public static ByteSize parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        int unitStart = 0;
        while (unitStart < s.length() && (Character.isDigit(s.charAt(unitStart)) || s.charAt(unitStart) == '.')) {
            unitStart++;
        }
        if (unitStart == 0) {
            throw new IllegalArgumentException("invalid size \"" + text + "\": expected a number, e.g. \"100mb\"");
        }
        long unit = switch (s.substring(unitStart).trim()) {
            case "", "b" -> 1L;
            case "kb", "k" -> 1000L;
            case "mb", "m" -> 1000L * 1000;
            case "gb", "g" -> 1000L * 1000 * 1000;
            case "kib" -> 1024L;
            case "mib" -> 1024L * 1024;
            case "gib" -> 1024L * 1024 * 1024;
            default -> throw new IllegalArgumentException("invalid size \"" + text + "\": unknown unit \""
                    + s.substring(unitStart).trim() + "\" (b, kb, mb, gb, kib, mib, gib)");
        };
        double number;
        try {
            number = Double.parseDouble(s.substring(0, unitStart));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid size \"" + text + "\": bad number \"" + s.substring(0, unitStart) + "\"");
        }
        double bytes = number * unit;
        if (bytes > Long.MAX_VALUE) {
            throw new IllegalArgumentException("invalid size \"" + text + "\": too large");
        }
        return new ByteSize(Math.round(bytes));
    }
}
