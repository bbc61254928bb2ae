package dev.sluice.proxy.middleware;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;

/**
 * Continues a router's middleware chain from an asynchronous callback (a request body read
 * without blocking, a sub-request answered). A container may recycle its own filter chain once the
 * dispatch that started async has returned (Tomcat does: calling it later fails), so the chain is
 * not called from the callback: the request is dispatched again, straight to Sluice's proxy
 * servlet, which runs the rest of the chain, now ending in itself ({@link #pendingOn}).
 *
 * <pre>{@code
 * AsyncContext async = request.startAsync();
 * ... later, on a callback:
 * Resume.later(async, chain, request, response);
 * }</pre>
 */
public final class Resume {
    private static final String ATTRIBUTE = Resume.class.getName();

    private record Pending(ResumableChain chain, ServletRequest request, ServletResponse response) {}

    private Resume() {}

    /**
     * Runs {@code chain} with {@code request} and {@code response} in a new dispatch of
     * {@code async}. A chain that cannot be rebound (a container's, as behind {@code MiddlewareFilter})
     * is called at once, which only containers that keep their chains allow (Jetty).
     */
    public static void later(AsyncContext async, FilterChain chain, ServletRequest request, ServletResponse response)
            throws IOException, ServletException {
        if (!(chain instanceof ResumableChain resumable)) {
            chain.doFilter(request, response);
            return;
        }
        async.getRequest().setAttribute(ATTRIBUTE, new Pending(resumable, request, response));
        async.dispatch();
    }

    /**
     * Called by the proxy servlet on an async dispatch: runs the pending chain, if any, ending in
     * {@code servlet}, and returns whether there was one. If nothing downstream went async, the
     * exchange is completed through the request seen downstream, so that response rewriters
     * wrapped around it finish their bodies.
     */
    public static boolean pendingOn(ServletRequest dispatched, FilterChain servlet) throws IOException, ServletException {
        Pending pending = (Pending) dispatched.getAttribute(ATTRIBUTE);
        if (pending == null) {
            return false;
        }
        dispatched.removeAttribute(ATTRIBUTE);
        pending.chain.withTerminal(servlet).doFilter(pending.request, pending.response);
        if (!pending.request.isAsyncStarted()) {
            pending.request.startAsync().complete();
        }
        return true;
    }

    /** A filter chain that can be continued later with another end than the container's servlet chain. */
    public interface ResumableChain extends FilterChain {
        /** This chain, at its current position, ending in {@code terminal}. */
        FilterChain withTerminal(FilterChain terminal);
    }
}
