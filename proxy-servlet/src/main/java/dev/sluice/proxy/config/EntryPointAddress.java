package dev.sluice.proxy.config;

import java.nio.file.Path;

/**
 * A parsed entry point address: {@code ":8080"}, {@code "127.0.0.1:8080"}, {@code "[::1]:8080"},
 * with an optional {@code /tcp} or {@code /udp} suffix as in Traefik; or (an extension) a unix-domain
 * socket, {@code "unix:/run/sluice.sock"}, whose path must be absolute.
 *
 * @param host the interface to bind, or {@code null} for all interfaces (and for a unix socket)
 * @param port 0 to 65535 (0 picks a free port, handy in tests); -1 for a unix socket
 * @param udp true for {@code /udp}
 * @param unix the socket file of a {@code unix:} address, else null
 */
public record EntryPointAddress(String host, int port, boolean udp, Path unix) {
    /** The prefix of a unix-domain socket address. */
    public static final String UNIX = "unix:";

    /** An IP address. */
    public EntryPointAddress(String host, int port, boolean udp) {
        this(host, port, udp, null);
    }

    /** True for {@code unix:/path}. */
    public boolean isUnix() {
        return unix != null;
    }

    /** True if {@code address} names a unix-domain socket (whether or not it is a valid one). */
    public static boolean isUnix(String address) {
        return address != null && address.trim().startsWith(UNIX);
    }

    public static EntryPointAddress parse(String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("missing address, e.g. \":8080\"");
        }
        String s = address.trim();
        if (s.startsWith(UNIX)) {
            return new EntryPointAddress(null, -1, false, unixPath(address, s.substring(UNIX.length())));
        }
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

    /**
     * The socket file of a {@code unix:} address: absolute (a relative one would depend on the
     * directory Sluice was started from), and within the 107 bytes Linux allows ({@code sun_path}).
     */
    static Path unixPath(String address, String path) {
        if (path.isEmpty()) {
            throw new IllegalArgumentException("invalid address \"" + address + "\": missing socket path, e.g. unix:/run/sluice.sock");
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("invalid address \"" + address + "\": the socket path must be absolute, e.g. unix:/run/sluice.sock");
        }
        if (path.endsWith("/")) {
            throw new IllegalArgumentException("invalid address \"" + address + "\": the socket path names a directory");
        }
        if (path.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 107) {
            throw new IllegalArgumentException("invalid address \"" + address + "\": the socket path is longer than 107 bytes");
        }
        return Path.of(path);
    }
}
