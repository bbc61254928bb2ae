package dev.sluice.proxy.service;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Locale;

/**
 * HTTP-dates (RFC 9110 §5.6.7). Formatting is done here rather than with
 * {@code setDateHeader} so the output is identical on every container, and parsing accepts the
 * two obsolete forms recipients are required to understand.
 */
final class HttpDates {
    /** IMF-fixdate; {@link DateTimeFormatter#RFC_1123_DATE_TIME} would not zero-pad the day. */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private static final List<DateTimeFormatter> PARSERS = List.of(
            DateTimeFormatter.RFC_1123_DATE_TIME,
            // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"
            new DateTimeFormatterBuilder()
                    .parseCaseInsensitive()
                    .appendPattern("EEEE, dd-MMM-")
                    .appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
                    .appendPattern(" HH:mm:ss 'GMT'")
                    .toFormatter(Locale.US),
            // asctime: "Sun Nov  6 08:49:37 1994"
            new DateTimeFormatterBuilder()
                    .parseCaseInsensitive()
                    .appendPattern("EEE MMM ppd HH:mm:ss yyyy")
                    .toFormatter(Locale.US));

    private HttpDates() {}

    static String format(long epochMillis) {
        return IMF_FIXDATE.format(Instant.ofEpochMilli(epochMillis));
    }

    /** Epoch millis of {@code value}, or -1 when it is absent or not an HTTP-date. */
    static long parse(String value) {
        if (value == null || value.isBlank()) {
            return -1;
        }
        String text = value.trim();
        for (DateTimeFormatter parser : PARSERS) {
            try {
                TemporalAccessor parsed = parser.parse(text);
                ZoneOffset offset = parsed.isSupported(ChronoField.OFFSET_SECONDS)
                        ? ZoneOffset.from(parsed)
                        : ZoneOffset.UTC;
                return LocalDateTime.from(parsed).toInstant(offset).toEpochMilli();
            } catch (DateTimeException e) {
                // try the next format
            }
        }
        return -1;
    }
}
