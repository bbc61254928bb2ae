package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * HTTP/2 abuse against the jar's h2c entry point, frame by frame ({@link RawH2}): rapid reset
 * (CVE-2023-44487), CONTINUATION flood (CVE-2024-27316 class), SETTINGS and PING floods (CVE-2019-9512/9515),
 * an HPACK bomb, and more streams than {@code SETTINGS_MAX_CONCURRENT_STREAMS}. Each attack must be cut
 * (GOAWAY or close) or bounded (refused streams, back-pressure) after a small amount of work, with the
 * backend seeing a bounded number of requests; after each, a normal HTTP/2 client on another connection
 * is served at once. Jetty's defaults do it: {@code WindowRateControl} of 128 suspicious events a second
 * per connection, 128 concurrent streams, header blocks bounded by the request header size (8 KiB). h2load
 * (installed when missing) multiplexing past the limit gets every answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Http2AbuseTest {
    private Backend backend;
    private Sluice sluice;
    private HttpClient normal;

    @BeforeAll
    void start() throws Exception {
        backend = new Backend("up");
        sluice = Sluice.start(ProxyTest.oneService(backend.url(), ""));
        normal = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client()));
        normal.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (normal != null) {
            normal.stop();
        }
        if (sluice != null) {
            sluice.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @AfterEach
    void aNormalClientIsServed() throws Exception {
        long start = System.nanoTime();
        ContentResponse response = normal.newRequest(sluice.uri("web", "/next")).timeout(5, TimeUnit.SECONDS).send();
        assertEquals(200, response.getStatus());
        assertEquals(HttpVersion.HTTP_2, response.getVersion());
        assertEquals("up", response.getContentAsString());
        System.out.println("[hostile] h2 normal client after the attack: " + (System.nanoTime() - start) / 1_000_000 + " ms");
        backend.forget();
    }

    /** What the server did to one attacking connection. */
    record Outcome(int sent, boolean writesFailed, List<RawH2.Frame> frames, boolean closed) {
        RawH2.Frame goAway() {
            return frames.stream().filter(f -> f.type() == RawH2.GOAWAY).findFirst().orElse(null);
        }

        long count(int type) {
            return frames.stream().filter(f -> f.type() == type).count();
        }

        String describe() {
            RawH2.Frame g = goAway();
            return "sent " + sent + " frames" + (writesFailed ? " (then writes failed)" : "") + ", got " + frames.size() + " frames"
                    + (g == null ? ", no GOAWAY" : ", GOAWAY error " + g.errorCode()) + ", closed " + closed;
        }
    }

    /**
     * Floods one connection with the frames {@code attack} writes (up to {@code max} of them, 10 s at
     * most) while reading what comes back (only after the flood when {@code readAlong} is false, so
     * that the server's answers back up), until the server closes or is silent for 5 s.
     */
    private Outcome flood(int max, boolean readAlong, Attack attack) throws Exception {
        try (RawH2 h2 = new RawH2(sluice.port("web"))) {
            List<RawH2.Frame> frames = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicInteger sent = new AtomicInteger();
            AtomicLong failedAt = new AtomicLong(-1);
            Thread writer = new Thread(() -> {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                for (int i = 0; i < max && System.nanoTime() < end; i++) {
                    if (!attack.write(h2, i)) {
                        failedAt.set(i);
                        return;
                    }
                    sent.incrementAndGet();
                }
            }, "h2-attacker");
            writer.setDaemon(true);
            writer.start();
            if (!readAlong) {
                writer.join(TimeUnit.SECONDS.toMillis(12));
            }
            boolean closed = false;
            long readUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < readUntil) {
                RawH2.Frame frame = h2.read();
                if (frame == null) {
                    closed = !h2.timedOut;
                    break;
                }
                frames.add(frame);
            }
            writer.join(TimeUnit.SECONDS.toMillis(12));
            h2.close(); // unblocks a writer stuck on a full socket (back-pressure)
            writer.join(TimeUnit.SECONDS.toMillis(2));
            return new Outcome(sent.get(), failedAt.get() >= 0, new ArrayList<>(frames), closed);
        }
    }

    interface Attack {
        boolean write(RawH2 h2, int i);
    }

    @Test
    void rapidResetIsCutAfterABoundedNumberOfStreams() throws Exception {
        Outcome outcome = flood(100_000, true, (h2, i) -> {
            int stream = 2 * i + 1;
            return h2.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, stream, RawH2.get("/reset"))
                    && h2.frame(RawH2.RST_STREAM, 0, stream, RawH2.errorCode(0x8)); // CANCEL
        });
        System.out.println("[hostile] rapid reset: " + outcome.describe() + ", backend saw " + backend.received());
        assertNotNull(outcome.goAway(), outcome.describe());
        assertTrue(outcome.sent() < 100_000, outcome.describe());
        assertTrue(backend.received() < 2_000, "requests that reached the backend: " + backend.received());
    }

    @Test
    void continuationFloodIsCutBeforeItCostsMemory() throws Exception {
        // One header whose value announces 64 MiB, then CONTINUATION frames of 16 KiB carrying it, never END_HEADERS.
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        first.writeBytes(RawH2.get("/continuation"));
        RawH2.integer(first, 0x00, 4, 0); // a literal with a new name ...
        RawH2.string(first, "x-flood");
        RawH2.integer(first, 0x00, 7, 64 << 20); // ... and a 64 MiB value to come
        byte[] filler = new byte[16_384];
        java.util.Arrays.fill(filler, (byte) 'a');
        Outcome outcome = flood(4_096, true, (h2, i) -> i == 0 ? h2.frame(RawH2.HEADERS, RawH2.END_STREAM, 1, first.toByteArray())
                : h2.frame(RawH2.CONTINUATION, 0, 1, filler));
        System.out.println("[hostile] CONTINUATION flood: " + outcome.describe() + ", backend saw " + backend.received());
        assertTrue(outcome.closed(), outcome.describe());
        assertTrue(outcome.sent() < 4_096, "the server read all 64 MiB: " + outcome.describe());
        assertEquals(0, backend.received());
    }

    @Test
    void settingsFloodIsBounded() throws Exception {
        Outcome outcome = flood(1_000_000, false, (h2, i) -> h2.frame(RawH2.SETTINGS, 0, 0, new byte[0]));
        System.out.println("[hostile] SETTINGS flood: " + outcome.describe());
        assertTrue(outcome.sent() < 1_000_000, outcome.describe());
    }

    @Test
    void pingFloodIsBounded() throws Exception {
        Outcome outcome = flood(1_000_000, false, (h2, i) -> h2.frame(RawH2.PING, 0, 0, new byte[8]));
        System.out.println("[hostile] PING flood: " + outcome.describe());
        assertTrue(outcome.sent() < 1_000_000, outcome.describe());
    }

    @Test
    void hpackBombIsRefused() throws Exception {
        // A 4,000-byte value put in the dynamic table, then referenced 20,000 times: 80 MB decoded from 24 KB.
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.writeBytes(RawH2.get("/bomb"));
        RawH2.literal(block, 0x40, 0, "x-bomb", "b".repeat(4_000));
        for (int i = 0; i < 20_000; i++) {
            RawH2.indexed(block, 62);
        }
        byte[] bytes = block.toByteArray();
        Outcome outcome = flood(1 + bytes.length / 16_384 + 1, true, (h2, i) -> {
            int from = i * 16_384;
            if (from >= bytes.length) {
                return true;
            }
            int to = Math.min(bytes.length, from + 16_384);
            boolean last = to == bytes.length;
            byte[] part = java.util.Arrays.copyOfRange(bytes, from, to);
            return h2.frame(i == 0 ? RawH2.HEADERS : RawH2.CONTINUATION, (last ? RawH2.END_HEADERS : 0) | (i == 0 ? RawH2.END_STREAM : 0), 1, part);
        });
        System.out.println("[hostile] HPACK bomb: " + outcome.describe() + ", backend saw " + backend.received() + ", frames "
                + outcome.frames().stream().map(f -> f.type() + "/" + f.stream()).toList());
        assertFalse(outcome.frames().stream().anyMatch(f -> f.type() == RawH2.HEADERS && f.stream() == 1 && f.payload().length > 0
                && (f.payload()[0] & 0xff) == 0x88), "the bomb got a 200: " + outcome.describe());
        assertEquals(0, backend.received());
    }

    @Test
    void streamsBeyondTheLimitAreRefused() throws Exception {
        int streams = 300;
        int connectionsBefore = backend.connectionsOpened();
        backend.delay(1_500); // every request holds its upstream connection: connections opened = streams let through at once
        try {
            Outcome outcome = flood(streams, true, (h2, i) ->
                    h2.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, 2 * i + 1, RawH2.get("/held")));
            long refused = outcome.frames().stream().filter(f -> f.type() == RawH2.RST_STREAM && f.errorCode() == 0x7).count();
            int upstream = backend.connectionsOpened() - connectionsBefore;
            System.out.println("[hostile] " + streams + " streams at once: " + outcome.describe() + ", refused " + refused
                    + ", upstream connections opened " + upstream);
            assertTrue(upstream <= 128, "more than 128 streams reached the backend at once: " + upstream);
            assertTrue(refused > 0, outcome.describe());
        } finally {
            backend.delay(0);
        }
    }

    @Test
    void h2loadMultiplexingPastTheLimitGetsEveryAnswer() throws Exception {
        String h2load = Tools.require("h2load", "nghttp2-client").toString();
        Process process = new ProcessBuilder(h2load, "-n", "600", "-c", "2", "-m", "300", "http://127.0.0.1:" + sluice.port("web") + "/h2load")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), output);
        System.out.println("[hostile] h2load: " + output.lines().filter(l -> l.startsWith("requests:") || l.startsWith("finished in")
                || l.startsWith("status codes:")).toList());
        assertTrue(output.contains("600 succeeded, 0 failed, 0 errored"), output);
    }
}
