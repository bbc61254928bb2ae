package dev.sluice.proxy.middleware;

import dev.sluice.proxy.middleware.body.BodyRewrite;
import dev.sluice.proxy.middleware.body.SpillingBuffer;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code buffering}'s response side: keeps the whole body (in memory, then in a temporary file),
 * then sends it with its length, or a 500 if it grew past the limit.
 */
final class WholeResponse implements BodyRewrite {
    private static final Logger LOG = LoggerFactory.getLogger(WholeResponse.class);

    private final long memory;
    private final long max;

    /**
     * @param memory bytes kept in memory before the rest goes to a temporary file
     * @param max larger bodies are answered with 500 instead (0: no limit)
     */
    WholeResponse(long memory, long max) {
        this.memory = memory;
        this.max = max;
    }

    @Override
    public Transform decide(HttpServletResponse response, Moment moment, long declaredLength, ByteBuffer held) {
        int status = response.getStatus();
        if (status < 200 || status == 204 || status == 304) {
            return PASS;
        }
        // A body announced too large is not kept at all: everything written counts as too much.
        long keep = max > 0 && declaredLength > max ? 0 : memory;
        long limit = max > 0 && declaredLength > max ? -1 : max;
        return out -> new Kept(response, out, keep, limit);
    }

    /** The body kept in a {@link SpillingBuffer}; written out after it ended. */
    private static final class Kept extends OutputStream implements BodyRewrite.Remainder {
        private final HttpServletResponse response;
        private final OutputStream out;
        private final SpillingBuffer kept;
        private final long max;
        private boolean tooLarge;

        /** @param max bytes allowed (0: any number, -1: none) */
        Kept(HttpServletResponse response, OutputStream out, long memory, long max) {
            this.response = response;
            this.out = out;
            this.kept = new SpillingBuffer(memory);
            this.max = max;
            this.tooLarge = max < 0;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (tooLarge) {
                return;
            }
            if (max > 0 && kept.size() + len > max) {
                tooLarge = true;
                kept.delete();
                return;
            }
            kept.write(b, off, len);
        }

        @Override
        public void flush() {
            // kept until the end: that is the point
        }

        @Override
        public void close() throws IOException {
            kept.close();
            // The container's response itself: a 500 must replace every header, which only reset() can do everywhere.
            HttpServletResponse container = (HttpServletResponse) ((ServletResponseWrapper) response).getResponse();
            if (tooLarge) {
                LOG.debug("buffering: response body over maxResponseBodyBytes, answering 500");
                container.reset();
                byte[] text = "500 Internal Server Error\n".getBytes(StandardCharsets.UTF_8);
                container.setStatus(500);
                container.setContentType("text/plain; charset=utf-8");
                container.setContentLength(text.length);
                out.write(text);
                return;
            }
            container.setContentLengthLong(kept.size());
        }

        @Override
        public void discard() {
            kept.delete();
        }

        @Override
        public InputStream remainder() throws IOException {
            if (tooLarge) {
                return InputStream.nullInputStream();
            }
            return new FilterInputStream(kept.open()) {
                @Override
                public void close() throws IOException {
                    super.close();
                    kept.delete();
                }
            };
        }
    }
}
