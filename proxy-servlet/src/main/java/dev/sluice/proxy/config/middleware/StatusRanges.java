package dev.sluice.proxy.config.middleware;

/** Status lists as Traefik writes them: {@code "500"}, {@code "500-504"}. */
final class StatusRanges {
    private StatusRanges() {}

    static boolean isValid(String s) {
        if (s == null || !s.matches("[1-5]\\d\\d(-[1-5]\\d\\d)?")) {
            return false;
        }
        int dash = s.indexOf('-');
        return dash < 0 || Integer.parseInt(s.substring(0, dash)) <= Integer.parseInt(s.substring(dash + 1));
    }
}
