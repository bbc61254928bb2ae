package dev.sluice.proxy.config.middleware;

/** Checks on percent-encoded text (raw paths). */
public final class PercentEncoding {
    private PercentEncoding() {}

    /** True when every {@code %} is followed by two hex digits. */
    public static boolean isValid(String raw) {
        for (int i = raw.indexOf('%'); i >= 0; i = raw.indexOf('%', i + 3)) {
            if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0 || Character.digit(raw.charAt(i + 2), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
