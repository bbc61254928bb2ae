package dev.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** PROXY protocol headers: what the relay writes, and what it accepts, refuses or waits for. */
class ProxyProtocolTest {
    private static ProxyProtocol.Decoded decode(byte[] bytes) {
        return ProxyProtocol.decode(bytes, bytes.length);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    @Test
    void v1RoundTrip() throws Exception {
        var source = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 5555);
        var destination = new InetSocketAddress(InetAddress.getByName("198.51.100.2"), 443);
        byte[] header = bytes(ProxyProtocol.encode(1, source, destination));
        assertEquals("PROXY TCP4 192.0.2.1 198.51.100.2 5555 443\r\n", new String(header, StandardCharsets.US_ASCII));
        assertEquals(new ProxyProtocol.Header(header.length, source), decode(header));
    }

    @Test
    void v2RoundTripIpv6AndMixedFamilies() throws Exception {
        var source = new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 1234);
        var destination = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 80);
        byte[] header = bytes(ProxyProtocol.encode(2, source, destination));
        assertEquals(16 + 36, header.length, "an IPv4 end is mapped into IPv6");
        assertEquals(new ProxyProtocol.Header(header.length, source), decode(header));
        byte[] v1 = bytes(ProxyProtocol.encode(1, source, destination));
        assertEquals("PROXY TCP6 2001:db8:0:0:0:0:0:1 ::ffff:127.0.0.1 1234 80\r\n", new String(v1, StandardCharsets.US_ASCII));
        assertEquals(new ProxyProtocol.Header(v1.length, source), decode(v1));
    }

    @Test
    void partialHeadersWaitForMore() throws Exception {
        byte[] header = bytes(ProxyProtocol.encode(2, new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 1),
                new InetSocketAddress(InetAddress.getByName("192.0.2.2"), 2)));
        for (int n = 1; n < header.length; n++) {
            assertInstanceOf(ProxyProtocol.NeedMore.class, ProxyProtocol.decode(header, n), "after " + n + " bytes");
        }
        assertInstanceOf(ProxyProtocol.NeedMore.class, decode("PROXY TCP4 1.2.3.4".getBytes()));
    }

    @Test
    void unknownAndLocalKeepThePeersAddress() {
        assertEquals(new ProxyProtocol.Header(15, null), decode("PROXY UNKNOWN\r\nGET /".getBytes()));
        byte[] local = ByteBuffer.allocate(16).put(ProxyProtocol.V2_SIGNATURE).put((byte) 0x20).put((byte) 0).putShort((short) 0).array();
        assertEquals(new ProxyProtocol.Header(16, null), decode(local));
    }

    @Test
    void otherTrafficHasNoHeaderAndMalformedOnesAreRefused() {
        assertInstanceOf(ProxyProtocol.Absent.class, decode("GET / HTTP/1.1\r\n".getBytes()));
        assertInstanceOf(ProxyProtocol.Absent.class, decode(new byte[] {22, 3, 1}));
        assertInstanceOf(ProxyProtocol.Invalid.class, decode("PROXY TCP4 nothing here\r\n".getBytes()));
        assertInstanceOf(ProxyProtocol.Invalid.class, decode("PROXY TCP4 example.com 1.2.3.4 1 2\r\n".getBytes()), "names are not looked up");
        assertInstanceOf(ProxyProtocol.Invalid.class, decode(("PROXY TCP4 " + "1".repeat(120)).getBytes()));
    }
}
