package dev.sluice.proxy.middleware.body;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * Decides, once per response, whether its body is transformed, and makes the transformation.
 * Asked when the first body bytes arrive, again as more arrive while it answers {@link #HOLD},
 * and a last time when the body is flushed or ends.
 */
public interface BodyRewrite {
    /** Why the decision is asked for now. */
    enum Moment {
        /** Bytes were written; {@link #HOLD} keeps them back until more arrive. */
        WRITE,
        /** The writer flushed held bytes: holding on would stall a stream. */
        FLUSH,
        /** The body ended; all of it is held. */
        END
    }

    /** Keep the bytes back and ask again. Not allowed at {@link Moment#END}. */
    Transform HOLD = out -> {
        throw new IllegalStateException("HOLD is no transform");
    };

    /** Send the body as it is. */
    Transform PASS = out -> out;

    /**
     * The transformation for this response, {@link #PASS} or {@link #HOLD}. Headers are not
     * committed yet: a transform may change them (the held headers it drops are never sent).
     *
     * @param declaredLength the Content-Length the writer set, or -1
     * @param held the body bytes held so far (a read-only view, valid during the call)
     */
    Transform decide(HttpServletResponse response, Moment moment, long declaredLength, ByteBuffer held);

    /** Names of response headers (lower case) kept back until the decision, sent only with {@link #PASS}. */
    default Set<String> heldHeaders() {
        return Set.of("content-length");
    }

    /**
     * A transform stream that, once closed, has more to send than fits in memory (a body spilled
     * to disk): it is read and written chunk by chunk, each when the client can take it.
     */
    interface Remainder {
        /** What follows the bytes the stream wrote into its output; closed when read to the end. */
        InputStream remainder() throws IOException;

        /** The body will not be sent (reset, error): free what is kept. */
        void discard();
    }

    /** Makes the stream that transforms the body into {@code out}; its flush and close pass through. */
    @FunctionalInterface
    interface Transform {
        OutputStream wrap(OutputStream out) throws IOException;
    }
}
