package dev.sluice.proxy.config.middleware;

import java.util.ArrayList;
import java.util.List;

/**
 * HTTP status codes and inclusive ranges as Traefik writes them: {@code "500"}, {@code "500,502"},
 * {@code "505-599"}, or a mix such as {@code "404,418,500-599"}.
 */
public final class StatusRanges {
    private final int[] lows;
    private final int[] highs;

    private StatusRanges(int[] lows, int[] highs) {
        this.lows = lows;
        this.highs = highs;
    }

    /** Parses every entry; throws {@link IllegalArgumentException} naming the bad part. */
    public static StatusRanges parse(List<String> entries) {
        List<int[]> ranges = new ArrayList<>();
        for (String entry : entries) {
            ranges.addAll(parseEntry(entry));
        }
        return new StatusRanges(ranges.stream().mapToInt(r -> r[0]).toArray(), ranges.stream().mapToInt(r -> r[1]).toArray());
    }

    /** One entry, which may hold several comma-separated codes or ranges. */
    public static List<int[]> parseEntry(String entry) {
        List<int[]> ranges = new ArrayList<>();
        for (String part : entry.split(",", -1)) {
            String s = part.trim();
            int dash = s.indexOf('-', 1);
            int low = code(dash < 0 ? s : s.substring(0, dash), entry);
            int high = dash < 0 ? low : code(s.substring(dash + 1), entry);
            if (high < low) {
                throw new IllegalArgumentException("invalid status range \"" + s + "\": " + low + " is above " + high);
            }
            ranges.add(new int[] {low, high});
        }
        return ranges;
    }

    private static int code(String text, String entry) {
        String s = text.trim();
        int code;
        try {
            code = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid status \"" + entry + "\": expected codes such as \"500\", \"500,502\" or \"500-599\"");
        }
        if (code < 100 || code > 599) {
            throw new IllegalArgumentException("invalid status \"" + entry + "\": " + code + " is not between 100 and 599");
        }
        return code;
    }

    /** Whether {@code entry} is a valid status list or range. */
    public static boolean isValid(String entry) {
        try {
            parseEntry(entry);
            return true;
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    public boolean isEmpty() {
        return lows.length == 0;
    }

    public boolean contains(int status) {
        for (int i = 0; i < lows.length; i++) {
            if (status >= lows[i] && status <= highs[i]) {
                return true;
            }
        }
        return false;
    }
}
