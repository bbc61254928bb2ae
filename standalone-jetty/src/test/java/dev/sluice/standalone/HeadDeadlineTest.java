package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code respondingTimeouts.readTimeout} bounds the request head too, as Traefik's (Go's read
 * deadline): a Slowloris client trickling header lines, never silent long enough for the idle
 * timeout, is cut; a keep-alive connection merely waiting for its next request is not.
 */
class HeadDeadlineTest {
    private static final String CONFIG = """
            [entryPoints.web]
            address = "127.0.0.1:0"
            [entryPoints.web.transport.respondingTimeouts]
            readTimeout = "1s"
            idleTimeout = "30s"
            [http.routers.all]
            rule = "PathPrefix(`/`)"
            service = "a"
            [[http.services.a.loadBalancer.servers]]
            url = "http://127.0.0.1:%d"
            """;

    @Test
    void aHeadTricklingInIsCutAfterTheReadTimeout() throws Exception {
        try (Backend backend = new Backend("A"); Sluice sluice = Sluice.start(CONFIG.formatted(backend.port()));
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), sluice.port("web"))) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /slowloris HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            boolean cut = false;
            // One header line every 200 ms, for 8 s at most: never idle, never complete.
            for (int i = 0; i < 40 && !cut; i++) {
                try {
                    out.write(("X-" + i + ": v\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    TimeUnit.MILLISECONDS.sleep(200); // the client's pace, not an ordering
                } catch (IOException e) {
                    cut = true;
                }
                cut |= closedByServer(socket);
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(cut, "the trickling head was never cut");
            assertTrue(millis >= 800 && millis < 5_000, "cut after " + millis + " ms");
            assertEquals(0, backend.received(), "an incomplete head reaches no upstream");
        }
    }

    @Test
    void aKeepAliveConnectionWaitingLongerThanTheReadTimeoutIsKept() throws Exception {
        try (Backend backend = new Backend("A"); Sluice sluice = Sluice.start(CONFIG.formatted(backend.port()));
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), sluice.port("web"))) {
            socket.setSoTimeout(10_000);
            assertTrue(get(socket).startsWith("HTTP/1.1 200"));
            // Silent for longer than readTimeout, shorter than idleTimeout: no request has begun.
            socket.setSoTimeout(1_800);
            assertTrue(!closedWithin(socket), "the waiting connection was closed");
            socket.setSoTimeout(10_000);
            assertTrue(get(socket).startsWith("HTTP/1.1 200"));
        }
    }

    @Test
    void anH2cConnectionIsNotCutByTheHeadDeadline() throws Exception {
        try (Backend backend = new Backend("A"); Sluice sluice = Sluice.start(CONFIG.formatted(backend.port()));
                RawH2 h2 = new RawH2(sluice.port("web"))) {
            assertTrue(h2.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, 1, RawH2.get("/one")));
            assertEquals(1, headersOn(h2, 1), "the first answer");
            long quietUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_800); // longer than readTimeout
            h2.readTimeout(200);
            while (System.nanoTime() < quietUntil) {
                RawH2.Frame frame = h2.read(); // settles what is left of the first exchange (window updates, pings)
                if (frame == null && !h2.timedOut) {
                    throw new AssertionError("the h2c connection was closed");
                }
            }
            h2.readTimeout(5_000);
            assertTrue(h2.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, 3, RawH2.get("/two")));
            assertEquals(1, headersOn(h2, 3), "the second answer, on the same connection");
        }
    }

    /** Reads frames until a HEADERS frame on {@code stream}: 1, or 0 if the connection ended first. */
    private static int headersOn(RawH2 h2, int stream) throws IOException {
        for (RawH2.Frame frame; (frame = h2.read()) != null; ) {
            if (frame.type() == RawH2.HEADERS && frame.stream() == stream) {
                return 1;
            }
        }
        return 0;
    }

    /** True when the server closed: a read returns end of stream at once (the socket timeout is short here). */
    private static boolean closedByServer(Socket socket) throws IOException {
        if (socket.getInputStream().available() > 0) {
            return true; // an answer (e.g. an error) before the close
        }
        int previous = socket.getSoTimeout();
        socket.setSoTimeout(1);
        try {
            return socket.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        } finally {
            socket.setSoTimeout(previous);
        }
    }

    /** Reads until the socket timeout: true if the server closed meanwhile. */
    private static boolean closedWithin(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        }
    }

    private static String get(Socket socket) throws IOException {
        socket.getOutputStream().write("GET /x HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        int length = Integer.parseInt(head.toString().replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
        in.readNBytes(length);
        return head.toString();
    }
}
