package dev.sluice.standalone;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Test helper for {@link Backend}'s {@code /sse}: reads the events of a stream one at a time and lets
 * the backend send the next only once the client has this one. An event a proxy holds back (no flush
 * per chunk) therefore never arrives, whatever the machine's speed: the read fails after 10 s.
 */
final class ServerSentEvents {
    private ServerSentEvents() {}

    /** Reads the three events of {@code /sse} from {@code body}, asking {@code backend} for each next one. */
    static void readAll(InputStream body, Backend backend) throws Exception {
        for (int i = 1; i <= 3; i++) {
            String event = next(body);
            if (!event.equals("data: " + i + "\n\n")) {
                throw new AssertionError("event " + i + " was " + event);
            }
            backend.nextEvent();
        }
    }

    /** The next event ("data: …\n\n"), read byte by byte so that nothing beyond it is waited for. */
    static String next(InputStream in) throws Exception {
        CompletableFuture<String> event = CompletableFuture.supplyAsync(() -> {
            StringBuilder read = new StringBuilder();
            try {
                while (read.length() < 2 || read.charAt(read.length() - 1) != '\n' || read.charAt(read.length() - 2) != '\n') {
                    int b = in.read();
                    if (b < 0) {
                        throw new AssertionError("stream ended inside an event: " + read);
                    }
                    read.append((char) b);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return read.toString();
        });
        try {
            return event.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("an event never came while the backend waited for it to be read: held back by the proxy", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
