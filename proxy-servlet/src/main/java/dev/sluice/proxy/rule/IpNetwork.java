package dev.sluice.proxy.rule;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address or CIDR block, reduced at parse time to masked network bytes so that
 * {@link #contains(InetAddress)} is a handful of byte compares.
 */
public final class IpNetwork {
    private final String text;
    private final byte[] network;
    /** Number of leading bytes that must be equal. */
    private final int fullBytes;
    /** Mask for the byte after the full ones; 0 when the prefix ends on a byte boundary. */
    private final int partialMask;

    private IpNetwork(String text, byte[] address, int prefix) {
        this.text = text;
        this.fullBytes = prefix >>> 3;
        this.partialMask = (prefix & 7) == 0 ? 0 : (0xFF << (8 - (prefix & 7))) & 0xFF;
        // Clear host bits: Traefik (Go's net.ParseCIDR) accepts 10.1.2.3/8 as 10.0.0.0/8.
        byte[] net = new byte[address.length];
        System.arraycopy(address, 0, net, 0, fullBytes);
        if (partialMask != 0) {
            net[fullBytes] = (byte) (address[fullBytes] & partialMask);
        }
        this.network = net;
    }

    /**
     * Parses {@code 10.0.0.1}, {@code 10.0.0.0/8}, {@code 2001:db8::1}, {@code 2001:db8::/32}.
     * Never does a DNS lookup: only literals are accepted.
     *
     * @throws IllegalArgumentException with a user-facing reason
     */
    public static IpNetwork parse(String text) {
        int slash = text.indexOf('/');
        String literal = slash < 0 ? text : text.substring(0, slash);
        boolean v6Text = literal.indexOf(':') >= 0;
        byte[] address = v6Text ? parseV6(literal) : parseV4(literal);
        if (address == null) {
            throw new IllegalArgumentException("invalid IP address \"" + literal + "\"");
        }
        // Java turns "::ffff:a.b.c.d" into a 4-byte address. Go does the same in
        // IPNet.Contains, keeping only the IPv4 part of the mask, so do exactly that.
        boolean mapped = v6Text && address.length == 4;
        int max = v6Text ? 128 : 32;
        int prefix = max;
        if (slash >= 0) {
            prefix = parsePrefix(text.substring(slash + 1), max);
        }
        if (mapped) {
            prefix = Math.max(0, prefix - 96);
        }
        return new IpNetwork(text, address, prefix);
    }

    /**
     * The address written as {@code text} ({@code 10.0.0.1}, {@code 2001:db8::1}, with or without
     * brackets), or null if it is not an IP literal. Never does a DNS lookup.
     */
    public static InetAddress parseAddress(String text) {
        String literal = text.length() > 1 && text.charAt(0) == '[' && text.charAt(text.length() - 1) == ']'
                ? text.substring(1, text.length() - 1) : text;
        byte[] address = literal.indexOf(':') >= 0 ? parseV6(literal) : parseV4(literal);
        try {
            return address == null ? null : InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    public boolean contains(InetAddress client) {
        if (client == null) {
            return false;
        }
        byte[] a = client.getAddress();
        if (a.length == network.length) {
            return matchesAt(a, 0);
        }
        // An IPv4 client seen through a dual-stack socket (::ffff:a.b.c.d) must match IPv4 blocks.
        if (network.length == 4 && a.length == 16 && isV4Mapped(a)) {
            return matchesAt(a, 12);
        }
        return false;
    }

    private boolean matchesAt(byte[] a, int offset) {
        for (int i = 0; i < fullBytes; i++) {
            if (a[offset + i] != network[i]) {
                return false;
            }
        }
        return partialMask == 0 || (a[offset + fullBytes] & partialMask) == (network[fullBytes] & 0xFF);
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
    }

    private static int parsePrefix(String s, int max) {
        if (s.isEmpty() || s.length() > 3) {
            throw new IllegalArgumentException("invalid prefix length \"/" + s + "\"");
        }
        int value = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("invalid prefix length \"/" + s + "\"");
            }
            value = value * 10 + (c - '0');
        }
        if (value > max) {
            throw new IllegalArgumentException("prefix length /" + value + " is larger than " + max);
        }
        return value;
    }

    /** Strict dotted quad; leading zeros rejected as Go does (they look octal to some tools). */
    private static byte[] parseV4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int i = 0;
        while (part < 4) {
            int start = i;
            int value = 0;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9' && i - start < 3) {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
                return null;
            }
            out[part++] = (byte) value;
            if (part < 4) {
                if (i >= s.length() || s.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
        }
        return i == s.length() ? out : null;
    }

    private static byte[] parseV6(String s) {
        // Guard the JDK parser: text made of hex digits, ':' and '.' that starts with a hex digit
        // or ':' is always treated as a literal by InetAddress, never resolved through DNS.
        if (s.isEmpty() || s.charAt(0) == '.') {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c == ':' || c == '.' || Character.digit(c, 16) >= 0) || c > 0x7F) {
                return null;
            }
        }
        try {
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
