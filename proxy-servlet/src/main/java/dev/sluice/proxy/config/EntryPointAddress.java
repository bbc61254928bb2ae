package dev.sluice.proxy.config;

/**
 * A parsed entry point address: {@code ":8080"}, {@code "127.0.0.1:8080"}, {@code "[::1]:8080"},
 * with an optional {@code /tcp} or {@code /udp} suffix as in Traefik.
 *
 * @param host the interface to bind, or {@code null} for all interfaces
 * @param port 0 to 65535 (0 picks a free port, handy in tests)
 * @param udp true for {@code /udp}
 */
public record EntryPointAddress(String host, int port, boolean udp) {

    public static EntryPointAddress parse(String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("missing address, e.g. \":8080\"");
        }
        String s = address.trim();
        boolean udp = false;
        int slash = s.lastIndexOf('/');
        if (slash >= 0) {
            String protocol = s.substring(slash + 1);
            if (!protocol.equals("tcp") && !protocol.equals("udp")) {
                throw new IllegalArgumentException("invalid address \"" + address + "\": protocol must be tcp or udp");
            }
            udp = protocol.equals("udp");
            s = s.substring(0, slash);
        }
        String host;
        int colon;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("invalid address \"" + address + "\": missing ']' after the IPv6 host, e.g. [::1]:8080");
            }
            if (close == s.length() - 1) {
                throw new IllegalArgumentException("invalid address \"" + address + "\": missing port, e.g. [::1]:8080");
            }
            if (s.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("invalid address \"" + address + "\": expected ':' and a port after ']', e.g. [::1]:8080");
            }
            host = s.substring(1, close);
            colon = close + 1;
        } else {
            colon = s.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("invalid address \"" + address + "\": expected host:port or :port");
            }
            host = s.substring(0, colon);
            if (host.contains(":") || host.contains("[") || host.contains("]")) {
                throw new IllegalArgumentException("invalid address \"" + address + "\": write IPv6 hosts in brackets, e.g. [::1]:8080");
            }
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid address \"" + address + "\": port must be a number");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("invalid address \"" + address + "\": port must be between 0 and 65535");
        }
        return new EntryPointAddress(host.isEmpty() ? null : host, port, udp);
    }
}
