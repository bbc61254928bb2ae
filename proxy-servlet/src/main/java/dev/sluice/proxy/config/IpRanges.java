package dev.sluice.proxy.config;

import java.net.InetAddress;
import java.util.List;

/**
 * A set of IP addresses and CIDR blocks ({@code 10.0.0.0/8}, {@code ::1}, {@code fd00::/8}),
 * precomputed as byte masks so that {@link #contains(InetAddress)} allocates nothing.
 */
public final class IpRanges {
    private final byte[][] networks;
    private final byte[][] masks;

    private IpRanges(byte[][] networks, byte[][] masks) {
        this.networks = networks;
        this.masks = masks;
    }

    /** Parses each entry; throws {@link IllegalArgumentException} naming the bad one. */
    public static IpRanges parse(List<String> entries) {
        byte[][] networks = new byte[entries.size()][];
        byte[][] masks = new byte[entries.size()][];
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i).trim();
            int slash = entry.indexOf('/');
            byte[] address = literal(slash < 0 ? entry : entry.substring(0, slash));
            int bits = address.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("invalid prefix length in \"" + entry + "\"");
                }
                if (bits < 0 || bits > address.length * 8) {
                    throw new IllegalArgumentException("invalid prefix length in \"" + entry + "\"");
                }
            }
            byte[] mask = new byte[address.length];
            for (int b = 0; b < mask.length; b++) {
                int remaining = Math.max(0, Math.min(8, bits - b * 8));
                mask[b] = (byte) (0xFF << (8 - remaining));
                address[b] &= mask[b];
            }
            networks[i] = address;
            masks[i] = mask;
        }
        return new IpRanges(networks, masks);
    }

    public static boolean isValid(String entry) {
        try {
            parse(List.of(entry));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public boolean isEmpty() {
        return networks.length == 0;
    }

    public boolean contains(InetAddress address) {
        if (address == null) {
            return false;
        }
        byte[] bytes = address.getAddress();
        for (int i = 0; i < networks.length; i++) {
            if (matches(bytes, networks[i], masks[i])) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(byte[] bytes, byte[] network, byte[] mask) {
        int offset = 0;
        if (bytes.length == 16 && network.length == 4 && isV4Mapped(bytes)) {
            offset = 12; // ::ffff:a.b.c.d is the IPv4 client a.b.c.d
        } else if (bytes.length != network.length) {
            return false;
        }
        for (int b = 0; b < network.length; b++) {
            if ((bytes[offset + b] & mask[b]) != network[b]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isV4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xFF && bytes[11] == (byte) 0xFF;
    }

    /**
     * Parses an IP literal without ever touching DNS: IPv4 by hand, IPv6 only once the text is known
     * to be made of hex digits, ':' and '.', which {@link InetAddress} then reads as a literal.
     */
    private static byte[] literal(String text) {
        if (text.indexOf(':') < 0) {
            byte[] v4 = ipv4(text);
            if (v4 == null) {
                throw notAnAddress(text);
            }
            return v4;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                throw notAnAddress(text);
            }
        }
        int lastColon = text.lastIndexOf(':');
        String tail = text.substring(lastColon + 1);
        if (text.lastIndexOf('.', lastColon) >= 0 || (tail.indexOf('.') >= 0 && ipv4(tail) == null)) {
            // Dots belong to an embedded IPv4 in the last group only, checked as strictly as a plain one.
            // This also keeps the first character a hex digit or ':', which InetAddress needs to treat
            // the text as a literal rather than a host name.
            throw notAnAddress(text);
        }
        try {
            // Starts with a hex digit or ':' and contains ':': InetAddress parses it as an IPv6 literal
            // and throws rather than resolving when it is not one.
            return InetAddress.getByName(text).getAddress();
        } catch (java.net.UnknownHostException e) {
            throw notAnAddress(text);
        }
    }

    /** Dotted-quad IPv4: four decimal parts, each 0 to 255, no leading zeros; {@code null} otherwise. */
    private static byte[] ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] address = new byte[4];
        for (int p = 0; p < 4; p++) {
            String part = parts[p];
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
                return null;
            }
            int value = 0;
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                if (c < '0' || c > '9') {
                    return null;
                }
                value = value * 10 + (c - '0');
            }
            if (value > 255) {
                return null;
            }
            address[p] = (byte) value;
        }
        return address;
    }

    private static IllegalArgumentException notAnAddress(String text) {
        return new IllegalArgumentException("not an IP address: \"" + text + "\"");
    }
}
