package dev.sluice.proxy.middleware.auth;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.function.BiConsumer;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Collects a response body of at most {@code limit} bytes; a longer one aborts the exchange with
 * {@link TooLarge}. Calls {@code done} once with the result and the body (null on failure).
 */
final class BoundedBody implements Response.Listener {
    /** The body passed the limit. */
    static final class TooLarge extends Exception {
        TooLarge(long limit) {
            super("response body over " + limit + " bytes", null, false, false);
        }
    }

    private final long limit;
    private final BiConsumer<Result, byte[]> done;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    BoundedBody(long limit, BiConsumer<Result, byte[]> done) {
        this.limit = limit;
        this.done = done;
    }

    @Override
    public void onHeaders(Response response) {
        long length = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (length > limit) {
            response.abort(new TooLarge(limit));
        }
    }

    @Override
    public void onContent(Response response, ByteBuffer content) {
        if (body.size() + content.remaining() > limit) {
            response.abort(new TooLarge(limit));
            return;
        }
        byte[] bytes = new byte[content.remaining()];
        content.get(bytes);
        body.writeBytes(bytes);
    }

    @Override
    public void onComplete(Result result) {
        done.accept(result, result.isFailed() ? null : body.toByteArray());
    }
}
