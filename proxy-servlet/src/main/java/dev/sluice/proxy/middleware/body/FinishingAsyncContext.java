package dev.sluice.proxy.middleware.body;

import dev.sluice.proxy.middleware.AsyncContextWrapper;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container's AsyncContext, except that {@link #complete()} first ends the rewritten body
 * (held bytes, encoder tail) and completes only once that was written: servlets that finish
 * with {@code complete()} alone (the proxy, static files) still send a whole body.
 */
final class FinishingAsyncContext extends AsyncContextWrapper {
    private static final Logger LOG = LoggerFactory.getLogger(FinishingAsyncContext.class);

    private final RewrittenResponse response;

    FinishingAsyncContext(AsyncContext delegate, RewrittenResponse response) {
        super(delegate);
        this.response = response;
    }

    AsyncContext delegate() {
        return delegate;
    }

    @Override
    public void complete() {
        try {
            response.finish(this::completeDelegate);
        } catch (IOException | RuntimeException e) {
            LOG.debug("ending a rewritten body failed: {}", e.toString());
            completeDelegate();
        }
    }

    private void completeDelegate() {
        try {
            delegate.complete();
        } catch (IllegalStateException e) {
            // completed already, or dispatched by the container after an error
        }
    }

    /** The rewritten response when the container would hand out the original, so writes still go through it. */
    @Override
    public ServletResponse getResponse() {
        return delegate.hasOriginalRequestAndResponse() ? response : delegate.getResponse();
    }

}
