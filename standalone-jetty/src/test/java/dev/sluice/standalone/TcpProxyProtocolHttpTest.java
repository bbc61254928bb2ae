package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** entryPoints.NAME.proxyProtocol on an HTTP entry point: the announced client drives ClientIP and X-Forwarded-For. */
class TcpProxyProtocolHttpTest {
    private static String config(String trusted, Backend a, Backend b) {
        return """
                [entryPoints.web]
                address = "127.0.0.1:0"
                [entryPoints.web.proxyProtocol]
                trustedIPs = ["%s"]
                [http.routers.docs]
                rule = "ClientIP(`203.0.113.0/24`)"
                service = "a"
                [http.routers.rest]
                rule = "PathPrefix(`/`)"
                service = "b"
                priority = 1
                [[http.services.a.loadBalancer.servers]]
                url = "http://127.0.0.1:%d"
                [[http.services.b.loadBalancer.servers]]
                url = "http://127.0.0.1:%d"
                """.formatted(trusted, a.port(), b.port());
    }

    private static String send(Sluice sluice, String bytes) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), sluice.port("web"))) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(bytes.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static final String GET = "GET /x HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n";

    @Test
    void aTrustedPeersProxyHeaderSetsTheClient() throws Exception {
        try (Backend a = new Backend("A"); Backend b = new Backend("B"); Sluice sluice = Sluice.start(config("127.0.0.1/32", a, b))) {
            String reply = send(sluice, "PROXY TCP4 203.0.113.7 127.0.0.1 40000 80\r\n" + GET);
            assertTrue(reply.startsWith("HTTP/1.1 200") && reply.endsWith("A"), reply);
            assertEquals("203.0.113.7", a.take().headers().get("X-Forwarded-For"));

            String plain = send(sluice, GET);
            assertTrue(plain.startsWith("HTTP/1.1 200") && plain.endsWith("B"), "the header is optional per connection: " + plain);
            assertEquals("127.0.0.1", b.take().headers().get("X-Forwarded-For"));
        }
    }

    @Test
    void anUntrustedPeersProxyHeaderIsNotBelieved() throws Exception {
        try (Backend a = new Backend("A"); Backend b = new Backend("B"); Sluice sluice = Sluice.start(config("10.0.0.0/8", a, b))) {
            String reply = send(sluice, "PROXY TCP4 203.0.113.7 127.0.0.1 40000 80\r\n" + GET);
            assertTrue(reply.startsWith("HTTP/1.1 400"), reply);
        }
    }
}
