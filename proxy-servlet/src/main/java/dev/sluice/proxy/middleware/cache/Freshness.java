package dev.sluice.proxy.middleware.cache;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpDateTime;

/**
 * How long a shared cache may keep an answer (RFC 9111 §3 and §4.2.1), with heuristics off: only
 * answers the upstream marks fresh are stored. {@code s-maxage} wins over {@code max-age}, which
 * wins over {@code Expires} − {@code Date}; an {@code Age} from an upstream cache is taken off.
 * Never stored: {@code no-store}, {@code private}, {@code no-cache} (this cache does not
 * revalidate), {@code Vary: *}, {@code Set-Cookie}, statuses outside the heuristically cacheable
 * list, and answers to requests with {@code Authorization} unless {@code public}, {@code s-maxage}
 * or {@code must-revalidate} allow it.
 */
final class Freshness {
    /** RFC 9110 §15.1 "heuristically cacheable" statuses, less 206: ranges are not stored. */
    static final Set<Integer> CACHEABLE_STATUSES = Set.of(200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501);

    /** The response headers freshness depends on, each list empty when absent. */
    record Headers(List<String> cacheControl, List<String> expires, List<String> date, List<String> age,
            List<String> vary, boolean setsCookie) {}

    private Freshness() {}

    /** How long the answer stays fresh, or null when it must not be stored. */
    static Duration lifetime(int status, Headers headers, boolean authorized, Duration maxTtl, long nowMillis) {
        if (!CACHEABLE_STATUSES.contains(status) || headers.setsCookie()) {
            return null;
        }
        for (String vary : headers.vary()) {
            if (vary.contains("*")) {
                return null;
            }
        }
        Long maxAge = null;
        Long sharedMaxAge = null;
        boolean allowsAuthorized = false;
        for (String value : headers.cacheControl()) {
            for (String part : value.split(",")) {
                String directive = part.trim().toLowerCase(Locale.ROOT);
                int eq = directive.indexOf('=');
                String name = eq < 0 ? directive : directive.substring(0, eq).trim();
                String argument = eq < 0 ? null : unquote(directive.substring(eq + 1).trim());
                switch (name) {
                    case "no-store", "private", "no-cache" -> {
                        return null;
                    }
                    case "max-age" -> maxAge = seconds(argument);
                    case "s-maxage" -> {
                        sharedMaxAge = seconds(argument);
                        allowsAuthorized = true;
                    }
                    case "public", "must-revalidate" -> allowsAuthorized = true;
                    default -> { }
                }
            }
        }
        if (authorized && !allowsAuthorized) {
            return null;
        }
        long lifetimeSeconds;
        if (sharedMaxAge != null) {
            lifetimeSeconds = sharedMaxAge;
        } else if (maxAge != null) {
            lifetimeSeconds = maxAge;
        } else if (!headers.expires().isEmpty()) {
            long expires = parseDate(headers.expires().get(0));
            if (expires < 0) {
                return null; // an invalid Expires means "already expired" (RFC 9111 §5.3)
            }
            long date = headers.date().isEmpty() ? -1 : parseDate(headers.date().get(0));
            lifetimeSeconds = (expires - (date < 0 ? nowMillis : date)) / 1000;
        } else {
            return null;
        }
        if (!headers.age().isEmpty()) {
            Long age = seconds(headers.age().get(0).trim());
            lifetimeSeconds -= age == null ? 0 : age;
        }
        if (lifetimeSeconds <= 0) {
            return null;
        }
        Duration lifetime = Duration.ofSeconds(lifetimeSeconds);
        return maxTtl != null && maxTtl.compareTo(lifetime) < 0 ? maxTtl : lifetime;
    }

    /** Delta-seconds; null when malformed, so that a bad max-age is no freshness at all. */
    private static Long seconds(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!Character.isDigit(text.charAt(i))) {
                return null;
            }
        }
        return text.length() > 12 ? Long.valueOf(Integer.MAX_VALUE) : Long.valueOf(text);
    }

    /** Epoch milliseconds of an HTTP date, or -1 when it is not one. */
    private static long parseDate(String text) {
        try {
            return HttpDateTime.parseToEpoch(text);
        } catch (RuntimeException invalid) {
            return -1;
        }
    }

    private static String unquote(String text) {
        return text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"") ? text.substring(1, text.length() - 1) : text;
    }
}
