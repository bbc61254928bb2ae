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

    /** Parses an IP literal without ever touching DNS. */
    private static byte[] literal(String text) {
        if (text.isEmpty() || !(text.indexOf(':') >= 0 || text.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
            throw new IllegalArgumentException("not an IP address: \"" + text + "\"");
        }
        if (text.indexOf(':') < 0 && text.split("\\.", -1).length != 4) {
            throw new IllegalArgumentException("not an IP address: \"" + text + "\"");
        }
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: \"" + text + "\"");
        }
    }
}
