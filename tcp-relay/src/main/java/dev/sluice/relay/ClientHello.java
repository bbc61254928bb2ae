package dev.sluice.relay;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the server name (SNI) and offered protocols (ALPN) from the first bytes of a connection
 * without consuming them: the relay peeks, routes, and forwards the same bytes untouched. A
 * ClientHello may span several TLS records and several reads; {@link #parse} says when it needs more.
 * The standalone server's HTTPS entry points read the SNI with it too, to choose the TLS options.
 *
 * <pre>
 * record    := type(1)=22 version(2) length(2) fragment      (fragments of one handshake message)
 * handshake := type(1)=1 length(3) version(2) random(32) session_id&lt;1&gt; cipher_suites&lt;2&gt;
 *              compression&lt;1&gt; extensions&lt;2&gt;
 * extension := type(2) data&lt;2&gt;   (0 = server_name, 16 = ALPN)
 * </pre>
 */
public final class ClientHello {
    /** The largest handshake message the relay waits for; real ClientHellos are a few hundred bytes to ~2 KiB. */
    public static final int MAX_HANDSHAKE = 16 * 1024;

    /** The outcome of one parse attempt. */
    public sealed interface Result permits NeedMore, NotTls, Hello {}

    /** Too few bytes yet. */
    public record NeedMore() implements Result {}

    /** Not a TLS ClientHello (plain TCP, or a malformed/oversized one). */
    public record NotTls() implements Result {}

    /**
     * A parsed ClientHello.
     *
     * @param sni the server name, lower-case; {@code ""} when the client sent none
     * @param alpn the offered protocols, in the client's order
     */
    public record Hello(String sni, List<String> alpn) implements Result {}

    static final Result NEED_MORE = new NeedMore();
    static final Result NOT_TLS = new NotTls();

    private ClientHello() {}

    /** Parses {@code data[0..length)}. */
    public static Result parse(byte[] data, int length) {
        if (length < 1) {
            return NEED_MORE;
        }
        if ((data[0] & 0xFF) != 22) {
            return NOT_TLS;
        }
        // Gather the handshake bytes from consecutive handshake records.
        ByteBuffer handshake = ByteBuffer.allocate(Math.min(MAX_HANDSHAKE + 4, Math.max(length, 4)));
        int offset = 0;
        int needed = -1;
        while (true) {
            if (offset + 5 > length) {
                return NEED_MORE;
            }
            if ((data[offset] & 0xFF) != 22 || (data[offset + 1] & 0xFF) != 3) {
                return NOT_TLS;
            }
            int recordLength = ((data[offset + 3] & 0xFF) << 8) | (data[offset + 4] & 0xFF);
            if (recordLength == 0 || recordLength > 16384 + 2048) {
                return NOT_TLS;
            }
            int available = Math.min(recordLength, length - offset - 5);
            int copy = Math.min(available, handshake.remaining());
            handshake.put(data, offset + 5, copy);
            if (needed < 0 && handshake.position() >= 4) {
                if ((handshake.get(0) & 0xFF) != 1) {
                    return NOT_TLS;
                }
                needed = 4 + (((handshake.get(1) & 0xFF) << 16) | ((handshake.get(2) & 0xFF) << 8) | (handshake.get(3) & 0xFF));
                if (needed > MAX_HANDSHAKE) {
                    return NOT_TLS;
                }
            }
            if (needed >= 0 && handshake.position() >= needed) {
                break;
            }
            if (available < recordLength) {
                return NEED_MORE;
            }
            offset += 5 + recordLength;
            if (handshake.remaining() == 0) {
                return NOT_TLS;
            }
        }
        try {
            return hello(ByteBuffer.wrap(handshake.array(), 4, needed - 4).slice());
        } catch (RuntimeException e) {
            return NOT_TLS; // truncated vectors: not a ClientHello the relay can route
        }
    }

    private static Result hello(ByteBuffer b) {
        b.position(2 + 32); // client_version, random
        skip(b, b.get() & 0xFF); // session_id
        skip(b, b.getShort() & 0xFFFF); // cipher_suites
        skip(b, b.get() & 0xFF); // compression_methods
        String sni = "";
        List<String> alpn = List.of();
        if (!b.hasRemaining()) {
            return new Hello(sni, alpn);
        }
        int end = (b.getShort() & 0xFFFF) + b.position();
        while (b.position() + 4 <= end) {
            int type = b.getShort() & 0xFFFF;
            int len = b.getShort() & 0xFFFF;
            ByteBuffer ext = b.slice(b.position(), len);
            skip(b, len);
            if (type == 0) {
                sni = serverName(ext);
            } else if (type == 16) {
                alpn = protocols(ext);
            }
        }
        return new Hello(sni, alpn);
    }

    private static String serverName(ByteBuffer ext) {
        int listEnd = (ext.getShort() & 0xFFFF) + ext.position();
        while (ext.position() + 3 <= listEnd) {
            int nameType = ext.get() & 0xFF;
            int len = ext.getShort() & 0xFFFF;
            byte[] name = new byte[len];
            ext.get(name);
            if (nameType == 0) {
                return new String(name, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
            }
        }
        return "";
    }

    private static List<String> protocols(ByteBuffer ext) {
        int listEnd = (ext.getShort() & 0xFFFF) + ext.position();
        List<String> protocols = new ArrayList<>();
        while (ext.position() + 1 <= listEnd) {
            int len = ext.get() & 0xFF;
            byte[] name = new byte[len];
            ext.get(name);
            protocols.add(new String(name, StandardCharsets.US_ASCII));
        }
        return List.copyOf(protocols);
    }

    private static void skip(ByteBuffer b, int n) {
        b.position(b.position() + n);
    }
}
