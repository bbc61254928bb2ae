package dev.sluice.proxy.middleware.auth;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Writes a whole, already known answer to an async-started request without blocking (servlet
 * non-blocking output), then completes the request. The status and headers are set by the caller.
 */
final class AsyncAnswer {
    private AsyncAnswer() {}

    static void write(AsyncContext async, HttpServletResponse response, byte[] body) {
        try {
            ServletOutputStream out = response.getOutputStream();
            out.setWriteListener(new WriteListener() {
                private boolean written;

                @Override
                public void onWritePossible() throws IOException {
                    while (out.isReady()) {
                        if (written) {
                            async.complete();
                            return;
                        }
                        written = true;
                        out.write(body);
                    }
                }

                @Override
                public void onError(Throwable failure) {
                    async.complete();
                }
            });
        } catch (IOException | RuntimeException e) {
            async.complete();
        }
    }

    /** A short plain-text error, as {@link AuthAnswers#send} writes it, for an async-started request. */
    static void error(AsyncContext async, HttpServletResponse response, int status, String challenge) {
        write(async, response, AuthAnswers.prepare(response, status, challenge));
    }
}
