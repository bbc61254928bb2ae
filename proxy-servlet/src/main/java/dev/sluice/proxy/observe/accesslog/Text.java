package dev.sluice.proxy.observe.accesslog;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How values look in access log lines: times, quoted strings, human sizes and durations. */
final class Text {
    /** Go's {@code 02/Jan/2006:15:04:05 -0700}, as Traefik's CLF prints its UTC start time. */
    static final DateTimeFormatter CLF_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);
    /** RFC 3339 with milliseconds, in the local zone (Pingap's {@code {when}}). */
    static final DateTimeFormatter LOCAL_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", Locale.US)
            .withZone(ZoneId.systemDefault());
    /** RFC 3339 with milliseconds, UTC with {@code Z} (Pingap's {@code {when_utc_iso}}). */
    static final DateTimeFormatter UTC_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.US)
            .withZone(ZoneOffset.UTC);
    /** Go's RFC 3339 with fractions, in the local zone (Traefik's {@code StartLocal}). */
    static final DateTimeFormatter LOCAL_ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneId.systemDefault());

    private Text() {}

    static String clfTime(long millis) {
        return CLF_TIME.format(Instant.ofEpochMilli(millis));
    }

    /**
     * Appends {@code value} between double quotes, or {@code "-"} when null or empty; a quote, a
     * backslash or a control character inside is escaped, so one line stays one line.
     */
    static void quoted(StringBuilder out, String value) {
        out.append('"');
        plain(out, value);
        out.append('"');
    }

    /** Appends {@code value} ({@code -} when null or empty), control characters and quotes escaped. */
    static void plain(StringBuilder out, String value) {
        if (value == null || value.isEmpty()) {
            out.append('-');
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                out.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            } else {
                out.append(c);
            }
        }
    }

    /** Pingap's sizes: {@code 512B}, {@code 1.5KB}, {@code 2MB}, {@code 1.1GB} (powers of 1000, one decimal at most). */
    static void humanSize(StringBuilder out, long bytes) {
        if (bytes < 1000) {
            out.append(bytes).append('B');
        } else if (bytes < 1_000_000) {
            oneDecimal(out, bytes, 1000).append("KB");
        } else if (bytes < 1_000_000_000) {
            oneDecimal(out, bytes, 1_000_000).append("MB");
        } else {
            oneDecimal(out, bytes, 1_000_000_000).append("GB");
        }
    }

    /** Pingap's durations: {@code 12ms}, {@code 1.5s}, {@code 2m}. */
    static void humanMillis(StringBuilder out, long millis) {
        if (millis < 1000) {
            out.append(millis).append("ms");
        } else if (millis < 60_000) {
            oneDecimal(out, millis, 1000).append('s');
        } else {
            oneDecimal(out, millis, 60_000).append('m');
        }
    }

    private static StringBuilder oneDecimal(StringBuilder out, long value, long unit) {
        long tenths = Math.round(value * 10.0 / unit);
        out.append(tenths / 10);
        if (tenths % 10 != 0) {
            out.append('.').append(tenths % 10);
        }
        return out;
    }
}
