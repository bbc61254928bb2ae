package dev.sluice.proxy.middleware;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Writes a body held in memory (a cached answer, an error page) to an asynchronous response
 * without blocking, then runs {@code done}, which completes the response. The container calls
 * {@link #onWritePossible} again when one write could not be taken at once.
 */
public final class BodyWriter implements WriteListener {
    private final ServletOutputStream output;
    private final byte[] body;
    private final Runnable done;
    private boolean written;
    private boolean finished;

    private BodyWriter(ServletOutputStream output, byte[] body, Runnable done) {
        this.output = output;
        this.body = body;
        this.done = done;
    }

    /** Sends {@code body} (nothing for an empty one); status and headers must be set already. */
    public static void send(HttpServletResponse response, byte[] body, Runnable done) throws IOException {
        ServletOutputStream output = response.getOutputStream();
        output.setWriteListener(new BodyWriter(output, body, done));
    }

    @Override
    public synchronized void onWritePossible() throws IOException {
        if (!written) {
            written = true;
            if (body.length > 0) {
                output.write(body);
                if (!output.isReady()) {
                    return;
                }
            }
        }
        finish();
    }

    @Override
    public synchronized void onError(Throwable failure) {
        finish(); // the client is gone: the container still needs the completion
    }

    private void finish() {
        if (!finished) {
            finished = true;
            done.run();
        }
    }
}
