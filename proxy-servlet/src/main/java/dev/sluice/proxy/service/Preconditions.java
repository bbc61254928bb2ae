package dev.sluice.proxy.service;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;

/**
 * Conditional request evaluation for a file, in the order RFC 9110 §13.2.2 prescribes: a
 * failing {@code If-Match} / {@code If-Unmodified-Since} wins over {@code If-None-Match}, which in
 * turn makes {@code If-Modified-Since} irrelevant.
 */
final class Preconditions {

    enum Outcome { PROCEED, NOT_MODIFIED, PRECONDITION_FAILED }

    private Preconditions() {}

    /**
     * @param etag the file's strong entity tag, quotes included
     * @param lastModified the file's {@code Last-Modified}, already truncated to whole seconds
     */
    static Outcome evaluate(HttpServletRequest request, String etag, long lastModified) {
        String ifMatch = joined(request, "If-Match");
        if (ifMatch != null) {
            if (!matches(ifMatch, etag, false)) {
                return Outcome.PRECONDITION_FAILED;
            }
        } else {
            long since = HttpDates.parse(request.getHeader("If-Unmodified-Since"));
            if (since >= 0 && lastModified > since) {
                return Outcome.PRECONDITION_FAILED;
            }
        }
        String ifNoneMatch = joined(request, "If-None-Match");
        if (ifNoneMatch != null) {
            // Only GET and HEAD reach us, for which a match means 304 rather than 412.
            return matches(ifNoneMatch, etag, true) ? Outcome.NOT_MODIFIED : Outcome.PROCEED;
        }
        long since = HttpDates.parse(request.getHeader("If-Modified-Since"));
        if (since >= 0 && lastModified <= since) {
            return Outcome.NOT_MODIFIED;
        }
        return Outcome.PROCEED;
    }

    /**
     * Whether a {@code Range} may be honoured given {@code If-Range}: it must name the current
     * representation exactly, by strong entity tag or by its exact {@code Last-Modified} date.
     */
    static boolean ifRangeAllows(HttpServletRequest request, String etag, long lastModified) {
        String value = request.getHeader("If-Range");
        if (value == null) {
            return true;
        }
        String trimmed = value.trim();
        if (trimmed.startsWith("\"") || trimmed.startsWith("W/")) {
            return trimmed.equals(etag); // weak tags never match here (strong comparison)
        }
        long date = HttpDates.parse(trimmed);
        return date >= 0 && date == lastModified;
    }

    /**
     * Matches {@code etag} against an entity-tag list ({@code *} or {@code "a", W/"b"}).
     *
     * @param weak weak comparison (the {@code W/} prefix is ignored) instead of strong
     */
    static boolean matches(String list, String etag, boolean weak) {
        String value = list.trim();
        if (value.equals("*")) {
            return true;
        }
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == ',' || c == ' ' || c == '\t') {
                i++;
                continue;
            }
            boolean isWeak = value.startsWith("W/", i);
            if (isWeak) {
                i += 2;
            }
            if (i >= value.length() || value.charAt(i) != '"') {
                return false; // malformed list: treat as no match
            }
            // A quoted tag may itself contain commas, so scan to the closing quote, not to ','.
            int end = value.indexOf('"', i + 1);
            if (end < 0) {
                return false;
            }
            if (value.regionMatches(i, etag, 0, etag.length()) && end + 1 - i == etag.length()
                    && (weak || !isWeak)) {
                return true;
            }
            i = end + 1;
        }
        return false;
    }

    /** All values of a possibly repeated list header, joined; {@code null} when absent. */
    private static String joined(HttpServletRequest request, String name) {
        var values = request.getHeaders(name);
        if (values == null || !values.hasMoreElements()) {
            return null;
        }
        return String.join(",", Collections.list(values));
    }
}
