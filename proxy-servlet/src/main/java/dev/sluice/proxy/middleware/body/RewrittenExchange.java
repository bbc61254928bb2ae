package dev.sluice.proxy.middleware.body;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Runs the rest of a filter chain with its response body rewritten. The body ends in one of
 * three ways, all covered: the chain returns without going async (ended here), the servlet
 * closes the output stream, or it calls {@code AsyncContext.complete()} (which the request seen
 * downstream routes through {@link FinishingAsyncContext}).
 *
 * <pre>{@code
 * RewrittenExchange.run(request, response, chain, rewrite);
 * }</pre>
 */
public final class RewrittenExchange {
    private RewrittenExchange() {}

    public static void run(HttpServletRequest request, HttpServletResponse response, FilterChain chain, BodyRewrite rewrite)
            throws IOException, ServletException {
        RewrittenResponse rewritten = new RewrittenResponse(response, rewrite);
        FinishingRequest finishing = new FinishingRequest(request, rewritten);
        chain.doFilter(finishing, rewritten);
        if (!finishing.isAsyncStarted()) {
            rewritten.finish(() -> {});
        }
    }

    /** Hands out {@link FinishingAsyncContext}s for the container's async contexts. */
    private static final class FinishingRequest extends HttpServletRequestWrapper {
        private final RewrittenResponse response;
        private FinishingAsyncContext async;

        FinishingRequest(HttpServletRequest request, RewrittenResponse response) {
            super(request);
            this.response = response;
        }

        @Override
        public AsyncContext startAsync() {
            return finishing(super.startAsync());
        }

        @Override
        public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
            return finishing(super.startAsync(request, response));
        }

        @Override
        public AsyncContext getAsyncContext() {
            return finishing(super.getAsyncContext());
        }

        private synchronized AsyncContext finishing(AsyncContext real) {
            if (real == null) {
                return null;
            }
            if (async == null || async.delegate() != real) {
                async = new FinishingAsyncContext(real, response);
            }
            return async;
        }
    }
}
