package dev.sluice.proxy.servlet;

import dev.sluice.proxy.middleware.Resume;
import dev.sluice.proxy.service.Exchange;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;

/**
 * The way from the service to the proxy servlet, usable from a middleware's callback too. Within
 * the container's dispatch it is the container's filter chain. A middleware that went asynchronous
 * (a cache waiting for another request, a disk read) may resume the chain later on another thread,
 * when the container may have recycled its chain already (Tomcat does as soon as the dispatch
 * returns); then the request is dispatched again ({@link Resume}) and goes straight to the proxy
 * servlet with the request and response as the middlewares made them.
 */
final class ProxyChain implements FilterChain {
    private final FilterChain container;
    private final Exchange exchange;
    private final Thread dispatchThread = Thread.currentThread();
    private volatile boolean returned;

    ProxyChain(FilterChain container, Exchange exchange) {
        this.container = container;
        this.exchange = exchange;
    }

    /** The container's dispatch is over: its chain may not be used any more. */
    void dispatchReturned() {
        returned = true;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response) throws IOException, ServletException {
        // Only the dispatching thread, before it returned, can be sure the container's chain is alive.
        if (!returned && Thread.currentThread() == dispatchThread) {
            container.doFilter(request, response);
            return;
        }
        exchange.redispatched();
        Resume.later(request.getAsyncContext(), TO_SERVLET, request, response);
    }

    /** Nothing left but the proxy servlet: the re-dispatch ends the chain there. */
    private static final Resume.ResumableChain TO_SERVLET = new Resume.ResumableChain() {
        @Override
        public FilterChain withTerminal(FilterChain terminal) {
            return terminal;
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response) {
            throw new IllegalStateException("only run through Resume, ending in the proxy servlet");
        }
    };
}
