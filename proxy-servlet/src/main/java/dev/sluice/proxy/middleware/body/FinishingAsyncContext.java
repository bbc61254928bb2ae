package dev.sluice.proxy.middleware.body;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container's AsyncContext, except that {@link #complete()} first ends the rewritten body
 * (held bytes, encoder tail) and completes only once that was written: servlets that finish
 * with {@code complete()} alone (the proxy, static files) still send a whole body.
 */
final class FinishingAsyncContext implements AsyncContext {
    private static final Logger LOG = LoggerFactory.getLogger(FinishingAsyncContext.class);

    private final AsyncContext delegate;
    private final RewrittenResponse response;

    FinishingAsyncContext(AsyncContext delegate, RewrittenResponse response) {
        this.delegate = delegate;
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

    @Override
    public ServletRequest getRequest() {
        return delegate.getRequest();
    }

    /** The rewritten response when the container would hand out the original, so writes still go through it. */
    @Override
    public ServletResponse getResponse() {
        return delegate.hasOriginalRequestAndResponse() ? response : delegate.getResponse();
    }

    @Override
    public boolean hasOriginalRequestAndResponse() {
        return delegate.hasOriginalRequestAndResponse();
    }

    @Override
    public void dispatch() {
        delegate.dispatch();
    }

    @Override
    public void dispatch(String path) {
        delegate.dispatch(path);
    }

    @Override
    public void dispatch(ServletContext context, String path) {
        delegate.dispatch(context, path);
    }

    @Override
    public void start(Runnable run) {
        delegate.start(run);
    }

    @Override
    public void addListener(AsyncListener listener) {
        delegate.addListener(listener);
    }

    @Override
    public void addListener(AsyncListener listener, ServletRequest request, ServletResponse response) {
        delegate.addListener(listener, request, response);
    }

    @Override
    public <T extends AsyncListener> T createListener(Class<T> clazz) throws ServletException {
        return delegate.createListener(clazz);
    }

    @Override
    public void setTimeout(long timeout) {
        delegate.setTimeout(timeout);
    }

    @Override
    public long getTimeout() {
        return delegate.getTimeout();
    }
}
