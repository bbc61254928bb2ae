package dev.sluice.relay;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The PROXY protocol (HAProxy), versions 1 (a text line) and 2 (binary): {@link #encode} writes the
 * header the relay sends upstream, {@link #decode} reads one a trusted peer sent in front of a connection.
 */
final class ProxyProtocol {
    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final byte[] V1_PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    /** The longest v1 line, CRLF included (the specification's bound). */
    private static final int V1_MAX = 107;

    private ProxyProtocol() {}

    /** The header announcing a connection from {@code source} to {@code destination}. */
    static ByteBuffer encode(int version, InetSocketAddress source, InetSocketAddress destination) {
        InetAddress src = source.getAddress();
        InetAddress dst = destination.getAddress();
        boolean v4 = src instanceof Inet4Address && dst instanceof Inet4Address;
        if (version == 1) {
            String line = "PROXY " + (v4 ? "TCP4 " + src.getHostAddress() + " " + dst.getHostAddress()
                    : "TCP6 " + v6Text(src) + " " + v6Text(dst)) + " " + source.getPort() + " " + destination.getPort() + "\r\n";
            return ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII));
        }
        int addressLength = v4 ? 12 : 36;
        ByteBuffer b = ByteBuffer.allocate(16 + addressLength);
        b.put(V2_SIGNATURE).put((byte) 0x21).put((byte) (v4 ? 0x11 : 0x21)).putShort((short) addressLength);
        b.put(v4 ? src.getAddress() : v6Bytes(src)).put(v4 ? dst.getAddress() : v6Bytes(dst));
        b.putShort((short) source.getPort()).putShort((short) destination.getPort());
        return b.flip();
    }

    /**
     * 16 bytes; an IPv4 address as IPv4-mapped IPv6, so that mixed families fit one TCP6 header
     * (built by hand: Java turns a mapped address back into an {@link Inet4Address}).
     */
    private static byte[] v6Bytes(InetAddress address) {
        if (!(address instanceof Inet4Address)) {
            return address.getAddress();
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(address.getAddress(), 0, mapped, 12, 4);
        return mapped;
    }

    private static String v6Text(InetAddress address) {
        return address instanceof Inet4Address ? "::ffff:" + address.getHostAddress() : address.getHostAddress();
    }

    /** What {@link #decode} found at the start of a connection. */
    sealed interface Decoded permits NeedMore, Absent, Invalid, Header {}

    record NeedMore() implements Decoded {}

    /** The connection does not start with a PROXY header. */
    record Absent() implements Decoded {}

    /** It starts like one but is malformed. */
    record Invalid(String reason) implements Decoded {}

    /**
     * A header of {@code length} bytes.
     *
     * @param source the client it announces, or null (v2 LOCAL, v1 UNKNOWN): keep the peer's address
     */
    record Header(int length, InetSocketAddress source) implements Decoded {}

    static final Decoded NEED_MORE = new NeedMore();
    static final Decoded ABSENT = new Absent();

    /** Looks at {@code data[0..length)}. */
    static Decoded decode(byte[] data, int length) {
        if (startsWith(data, length, V2_SIGNATURE)) {
            return length < V2_SIGNATURE.length ? NEED_MORE : v2(data, length);
        }
        if (startsWith(data, length, V1_PREFIX)) {
            return length < V1_PREFIX.length ? NEED_MORE : v1(data, length);
        }
        return ABSENT;
    }

    /** True if the first bytes agree with {@code prefix} (as far as there are any). */
    private static boolean startsWith(byte[] data, int length, byte[] prefix) {
        int n = Math.min(length, prefix.length);
        return n > 0 && Arrays.equals(data, 0, n, prefix, 0, n);
    }

    private static Decoded v1(byte[] data, int length) {
        int end = -1;
        for (int i = 0; i + 1 < Math.min(length, V1_MAX); i++) {
            if (data[i] == '\r' && data[i + 1] == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) {
            return length >= V1_MAX ? new Invalid("PROXY v1 line longer than 107 bytes") : NEED_MORE;
        }
        String[] parts = new String(data, 0, end, StandardCharsets.US_ASCII).split(" ");
        if (parts.length >= 2 && parts[1].equals("UNKNOWN")) {
            return new Header(end + 2, null);
        }
        if (parts.length != 6 || !(parts[1].equals("TCP4") || parts[1].equals("TCP6"))) {
            return new Invalid("malformed PROXY v1 line");
        }
        try {
            InetAddress source = literal(parts[2]);
            int port = Integer.parseInt(parts[4]);
            if (port < 0 || port > 65535) {
                return new Invalid("bad source port in PROXY v1 line");
            }
            return new Header(end + 2, new InetSocketAddress(source, port));
        } catch (IllegalArgumentException | UnknownHostException e) {
            return new Invalid("bad address in PROXY v1 line");
        }
    }

    /** An IP literal, never a DNS lookup. */
    private static InetAddress literal(String text) throws UnknownHostException {
        if (text.isEmpty() || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            throw new UnknownHostException(text);
        }
        return InetAddress.getByName(text); // digits and colons only: parsed, not resolved
    }

    private static Decoded v2(byte[] data, int length) {
        if (length < 16) {
            return NEED_MORE;
        }
        int verCmd = data[12] & 0xFF;
        if ((verCmd >> 4) != 2) {
            return new Invalid("unsupported PROXY protocol version " + (verCmd >> 4));
        }
        int addressLength = ((data[14] & 0xFF) << 8) | (data[15] & 0xFF);
        int total = 16 + addressLength;
        if (length < total) {
            return NEED_MORE;
        }
        if ((verCmd & 0x0F) == 0) {
            return new Header(total, null); // LOCAL: health checks of the proxy in front
        }
        int family = (data[13] & 0xFF) >> 4;
        try {
            if (family == 1 && addressLength >= 12) {
                InetAddress source = InetAddress.getByAddress(Arrays.copyOfRange(data, 16, 20));
                int port = ((data[24] & 0xFF) << 8) | (data[25] & 0xFF);
                return new Header(total, new InetSocketAddress(source, port));
            }
            if (family == 2 && addressLength >= 36) {
                InetAddress source = InetAddress.getByAddress(Arrays.copyOfRange(data, 16, 32));
                int port = ((data[48] & 0xFF) << 8) | (data[49] & 0xFF);
                return new Header(total, new InetSocketAddress(source, port));
            }
        } catch (UnknownHostException e) {
            return new Invalid("bad address in PROXY v2 header");
        }
        return new Header(total, null); // UNSPEC or unix sockets: keep the peer's address
    }
}
