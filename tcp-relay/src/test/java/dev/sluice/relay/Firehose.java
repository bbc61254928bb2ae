package dev.sluice.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test upstream's handler that writes {@code total} random bytes as fast as the socket takes
 * them, counting what it wrote; and the two checks of a slow reader: the writer stalls, then every
 * byte arrives in order.
 */
final class Firehose implements TcpBackend.Handler {
    final int total;
    private final byte[] chunk = new byte[64 * 1024];
    private final AtomicLong written = new AtomicLong();

    Firehose(int total, long seed) {
        this.total = total;
        new Random(seed).nextBytes(chunk);
    }

    @Override
    public void handle(java.net.Socket socket) throws Exception {
        OutputStream out = socket.getOutputStream();
        for (int sent = 0; sent < total; sent += chunk.length) {
            out.write(chunk);
            written.addAndGet(chunk.length);
        }
        out.flush();
    }

    /** Waits until the writer has made no progress for 300ms; returns how much it wrote by then. */
    long awaitStalled() {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300)).until(new Callable<>() {
            long last = -1;

            @Override
            public Boolean call() {
                long now = written.get();
                boolean stalled = now == last;
                last = now;
                return stalled;
            }
        });
        return written.get();
    }

    /** Reads the rest of {@code in} (whose first byte was read already) and checks it is everything, in order. */
    void assertEveryByteArrives(InputStream in) throws Exception {
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        for (int sent = 0; sent < total; sent += chunk.length) {
            expected.update(chunk);
        }
        MessageDigest actual = MessageDigest.getInstance("SHA-256");
        actual.update(chunk[0]);
        byte[] buffer = new byte[256 * 1024];
        long received = 1;
        for (int n; (n = in.read(buffer)) > 0; ) {
            actual.update(buffer, 0, n);
            received += n;
        }
        assertEquals(total, received);
        assertArrayEquals(expected.digest(), actual.digest());
    }
}
