package dev.sluice.proxy.config;

import java.time.Duration;

/**
 * Go-style durations as Traefik writes them: {@code "10s"}, {@code "1m30s"}, {@code "150ms"},
 * {@code "1.5h"}, {@code "-1s"}; a bare number means seconds, as in Traefik's file provider.
 */
public final class Durations {
    private Durations() {}

    /** Parses {@code text}, or throws {@link IllegalArgumentException} with a short reason. */
    public static Duration parse(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        boolean negative = false;
        int i = 0;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            negative = s.charAt(0) == '-';
            i = 1;
            if (i == s.length()) {
                // Go: time: invalid duration "-"
                throw new IllegalArgumentException("invalid duration \"" + text + "\": expected a number after the sign");
            }
        }
        if (isNumber(s, i)) {
            double value;
            try {
                value = Double.parseDouble(s.substring(i));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid duration \"" + text + "\": bad number \"" + s.substring(i) + "\"");
            }
            Duration seconds = ofNanos(value * 1e9, text);
            return negative ? seconds.negated() : seconds;
        }
        if (s.substring(i).equals("0")) {
            return Duration.ZERO;
        }
        long nanos = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (start == i) {
                throw new IllegalArgumentException("invalid duration \"" + text + "\": expected a number at position " + (i + 1));
            }
            double value;
            try {
                value = Double.parseDouble(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid duration \"" + text + "\": bad number \"" + s.substring(start, i) + "\"");
            }
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            String unit = s.substring(unitStart, i);
            nanos = Math.addExact(nanos, ofNanos(value * unitNanos(unit, text), text).toNanos());
        }
        Duration d = Duration.ofNanos(nanos);
        return negative ? d.negated() : d;
    }

    /** Formats a duration the way Go prints it, e.g. {@code 1m30s}, {@code 150ms}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.isNegative()) {
            return "-" + format(d.negated());
        }
        if (d.toMillis() < 1000 && d.toNanos() % 1_000_000 == 0) {
            return d.toMillis() + "ms";
        }
        StringBuilder b = new StringBuilder();
        long h = d.toHours();
        if (h > 0) {
            b.append(h).append('h');
        }
        if (d.toMinutesPart() > 0 || (h > 0 && d.toSecondsPart() + d.toNanosPart() > 0)) {
            b.append(d.toMinutesPart()).append('m');
        }
        if (d.toSecondsPart() > 0 || d.toNanosPart() > 0) {
            b.append(d.toSecondsPart());
            if (d.toNanosPart() > 0) {
                b.append('.').append(String.format("%09d", d.toNanosPart()).replaceAll("0+$", ""));
            }
            b.append('s');
        }
        return b.toString();
    }

    private static boolean isNumber(String s, int from) {
        if (from >= s.length()) {
            return false;
        }
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isDigit(c) && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static double unitNanos(String unit, String text) {
        switch (unit) {
            case "ns": return 1;
            case "us": case "µs": case "μs": return 1e3;
            case "ms": return 1e6;
            case "s": return 1e9;
            case "m": return 60e9;
            case "h": return 3600e9;
            case "":
                throw new IllegalArgumentException("invalid duration \"" + text + "\": missing unit (ns, us, ms, s, m, h)");
            default:
                throw new IllegalArgumentException("invalid duration \"" + text + "\": unknown unit \"" + unit + "\" (ns, us, ms, s, m, h)");
        }
    }

    private static Duration ofNanos(double nanos, String text) {
        if (Double.isNaN(nanos) || Math.abs(nanos) > Long.MAX_VALUE) {
            throw new IllegalArgumentException("invalid duration \"" + text + "\": out of range");
        }
        return Duration.ofNanos(Math.round(nanos));
    }
}
