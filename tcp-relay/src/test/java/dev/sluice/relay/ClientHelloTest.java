package dev.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.sluice.proxy.config.ConfigLoader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/** SNI and ALPN read from real ClientHellos (the JDK's), whole, cut short, and split across records and reads. */
class ClientHelloTest {
    /** The first flight of a JDK TLS client for {@code host} offering {@code protocols}. */
    static byte[] clientHello(String host, String... protocols) throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine(host, 443);
        engine.setUseClientMode(true);
        SSLParameters params = engine.getSSLParameters();
        params.setServerNames(List.of(new SNIHostName(host)));
        params.setApplicationProtocols(protocols);
        engine.setSSLParameters(params);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.beginHandshake();
        engine.wrap(ByteBuffer.allocate(0), out);
        return Arrays.copyOf(out.array(), out.position());
    }

    @Test
    void readsSniAndAlpn() throws Exception {
        byte[] hello = clientHello("DB.example.com", "postgresql", "h2");
        ClientHello.Result result = ClientHello.parse(hello, hello.length);
        assertEquals(new ClientHello.Hello("db.example.com", List.of("postgresql", "h2")), result);
    }

    @Test
    void asksForMoreUntilTheWholeHelloIsThere() throws Exception {
        byte[] hello = clientHello("a.example.com");
        for (int n = 0; n < hello.length; n++) {
            assertInstanceOf(ClientHello.NeedMore.class, ClientHello.parse(hello, n), "after " + n + " of " + hello.length + " bytes");
        }
    }

    @Test
    void aHelloSplitIntoSeveralRecordsIsReassembled() throws Exception {
        byte[] hello = clientHello("split.example.com", "h2");
        byte[] body = Arrays.copyOfRange(hello, 5, hello.length);
        // Three records of the same handshake message, as a client with a small record size would send.
        ByteBuffer split = ByteBuffer.allocate(body.length + 15);
        int[] cuts = {0, 7, body.length / 2, body.length};
        for (int i = 0; i < 3; i++) {
            int len = cuts[i + 1] - cuts[i];
            split.put((byte) 22).put(hello[1]).put(hello[2]).putShort((short) len).put(body, cuts[i], len);
        }
        byte[] bytes = split.array();
        assertEquals(new ClientHello.Hello("split.example.com", List.of("h2")), ClientHello.parse(bytes, bytes.length));
        assertInstanceOf(ClientHello.NeedMore.class, ClientHello.parse(bytes, bytes.length - 1));
    }

    @Test
    void plainTrafficIsNotTls() {
        byte[] get = "GET / HTTP/1.1\r\n".getBytes();
        assertInstanceOf(ClientHello.NotTls.class, ClientHello.parse(get, get.length));
        byte[] notAHello = {22, 3, 1, 0, 4, 2, 0, 0, 0}; // a handshake record, but a ServerHello
        assertInstanceOf(ClientHello.NotTls.class, ClientHello.parse(notAHello, notAHello.length));
    }

    @Test
    void anOversizedHelloIsNotWaitedFor() {
        byte[] huge = {22, 3, 1, 0x40, 0, 1, 0x01, 0, 0}; // claims a 64 KiB handshake message
        assertInstanceOf(ClientHello.NotTls.class, ClientHello.parse(huge, huge.length));
    }

    @Test
    void theRelayRoutesAHelloThatArrivesByteByByte() throws Exception {
        try (TcpBackend a = TcpBackend.greeting("A"); TcpBackend other = TcpBackend.greeting("O")) {
            try (Relay relay = Relay.start(ConfigLoader.parse("""
                    [entryPoints.tcp]
                    address = "127.0.0.1:0/tcp"
                    [tcp.routers.a]
                    rule = "HostSNI(`a.example.com`)"
                    service = "a"
                    [tcp.routers.a.tls]
                    passthrough = true
                    [tcp.routers.rest]
                    rule = "HostSNI(`*`)"
                    service = "other"
                    [[tcp.services.a.loadBalancer.servers]]
                    address = "%s"
                    [[tcp.services.other.loadBalancer.servers]]
                    address = "%s"
                    """.formatted(a.address(), other.address()), "test.toml"));
                    Socket socket = new Socket(InetAddress.getLoopbackAddress(), relay.port("tcp"))) {
                socket.setSoTimeout(10_000);
                socket.setTcpNoDelay(true);
                OutputStream out = socket.getOutputStream();
                for (byte b : clientHello("a.example.com")) {
                    out.write(b);
                    out.flush();
                }
                assertEquals('A', socket.getInputStream().read());
                // The backend echoes: it got the ClientHello untouched.
                byte[] expected = clientHello("a.example.com");
                assertEquals(22, socket.getInputStream().read());
                assertEquals(expected[1], (byte) socket.getInputStream().read());
            }
        }
    }
}
