package dev.sluice.proxy.middleware;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request through which a middleware sees the end of an asynchronous response before the
 * container does. Whatever runs downstream (the proxy servlet) completes the {@link AsyncContext}
 * it got from {@code startAsync()}; the middleware's {@link Listener} is called instead, with the
 * real completion to run once it is done (store a cache entry, write an error page).
 *
 * <p>{@code startAsync()} on a request that is already asynchronous, because a middleware waited
 * and then resumed the chain from a callback, returns the running context instead of failing.
 *
 * <pre>{@code
 * CompletionHook hooked = new CompletionHook(request, response, complete -> { store(); complete.run(); });
 * chain.doFilter(hooked, response);
 * if (!hooked.startedAsync()) { ... } // the answer was written before doFilter returned
 * }</pre>
 */
public final class CompletionHook extends HttpServletRequestWrapper {
    /** Told when the response downstream is complete. */
    @FunctionalInterface
    public interface Listener {
        /** Call {@code complete} once, from any thread, to complete the response for real. */
        void beforeComplete(Runnable complete);
    }

    private final ServletResponse response;
    private final Listener listener;
    private volatile HeldContext context;

    public CompletionHook(HttpServletRequest request, ServletResponse response, Listener listener) {
        super(request);
        this.response = response;
        this.listener = listener;
    }

    /** True once something downstream went asynchronous through this request. */
    public boolean startedAsync() {
        return context != null;
    }

    @Override
    public AsyncContext startAsync() {
        ServletRequest inner = getRequest();
        return hold(inner.isAsyncStarted() ? inner.getAsyncContext() : inner.startAsync());
    }

    @Override
    public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
        ServletRequest inner = getRequest();
        return hold(inner.isAsyncStarted() ? inner.getAsyncContext() : inner.startAsync(request, response));
    }

    @Override
    public AsyncContext getAsyncContext() {
        HeldContext held = context;
        return held != null ? held : super.getAsyncContext();
    }

    private AsyncContext hold(AsyncContext real) {
        HeldContext held = context;
        if (held == null || held.delegate != real) {
            held = new HeldContext(real);
            context = held;
        }
        return held;
    }

    /** The real context, except that {@link #complete()} goes to the listener first. */
    private final class HeldContext extends AsyncContextWrapper {
        private final AtomicBoolean completed = new AtomicBoolean();

        HeldContext(AsyncContext real) {
            super(real);
        }

        @Override
        public void complete() {
            if (completed.compareAndSet(false, true)) {
                listener.beforeComplete(delegate::complete);
            }
        }

        @Override
        public ServletRequest getRequest() {
            return CompletionHook.this;
        }

        @Override
        public ServletResponse getResponse() {
            return response;
        }

        @Override
        public boolean hasOriginalRequestAndResponse() {
            return false;
        }
    }
}
