package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** entryPoints.NAME.transport.respondingTimeouts.idleTimeout closes idle keep-alive connections (Traefik: 180s). */
class EntryPointIdleTimeoutTest {
    @Test
    void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        try (Backend backend = new Backend("A"); Sluice sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [entryPoints.web.transport.respondingTimeouts]
                idleTimeout = "600ms"
                [http.routers.all]
                rule = "PathPrefix(`/`)"
                service = "a"
                [[http.services.a.loadBalancer.servers]]
                url = "http://127.0.0.1:%d"
                """.formatted(backend.port()));
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), sluice.port("web"))) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /x HTTP/1.1\r\nHost: example.com\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            int length = Integer.parseInt(head.replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
            assertEquals("A", new String(in.readNBytes(length), StandardCharsets.UTF_8));
            long start = System.nanoTime();
            assertEquals(-1, in.read(), "the idle connection is closed by Sluice");
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waitedMillis >= 400 && waitedMillis < 8_000, "closed after " + waitedMillis + "ms");
        }
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
