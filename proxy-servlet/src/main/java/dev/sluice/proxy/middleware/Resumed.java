package dev.sluice.proxy.middleware;

import dev.sluice.proxy.service.Exchange;
import dev.sluice.proxy.service.ShortAnswers;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request whose middleware went asynchronous to wait for something (a rate limit's delay, an
 * auth sub-request) and now continues the chain from a callback thread, outside any dispatch.
 * Downstream starts async mode itself (the proxy servlet, static files), which a container refuses
 * outside the original dispatch; here {@code startAsync()} returns the context already started, so
 * the rest of the chain runs as if it had not been interrupted.
 *
 * <p>Whoever downstream takes the async context completes it, and so does the proxy servlet when
 * Sluice's chain dispatches the request to it again (off the dispatching thread the container's
 * chain may be gone, as in Tomcat). A plain servlet (in a WAR) never does: once it returns, the
 * exchange is completed here, as the container would have at the end of a normal dispatch.
 */
public final class Resumed extends HttpServletRequestWrapper {
    private static final Logger LOG = LoggerFactory.getLogger(Resumed.class);

    private volatile boolean claimed;

    private Resumed(HttpServletRequest request) {
        super(request);
    }

    /** Continues {@code chain} with {@code request} from a callback; a failure answers 500 if it still can. */
    public static void resume(AsyncContext async, FilterChain chain, HttpServletRequest request, ServletResponse response) {
        Resumed resumed = new Resumed(request);
        try {
            chain.doFilter(resumed, response);
        } catch (Exception | Error e) {
            LOG.warn("{} {}: failed after an asynchronous wait", request.getMethod(), request.getRequestURI(), e);
            if (!resumed.claimed) {
                try {
                    ShortAnswers.error(request, (HttpServletResponse) response, 500);
                } catch (IOException | IllegalStateException ignored) {
                    // the client is gone, or part of an answer went out: completing is all that is left
                }
            }
        }
        // Sluice's chain may have handed the request to a new dispatch (servlet.ProxyChain): the
        // proxy servlet completes it there.
        Exchange exchange = Exchange.of(request);
        if (!resumed.claimed && (exchange == null || !exchange.isRedispatched())) {
            async.complete();
        }
    }

    // In the callback the context already started is handed out; in a later dispatch (see
    // servlet.ProxyChain) the request is async no more and starts a new one.
    @Override
    public AsyncContext startAsync() {
        if (!isAsyncStarted()) {
            return super.startAsync();
        }
        claimed = true;
        return super.getAsyncContext();
    }

    @Override
    public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
        if (!isAsyncStarted()) {
            return super.startAsync(request, response);
        }
        claimed = true;
        return super.getAsyncContext();
    }

    @Override
    public AsyncContext getAsyncContext() {
        claimed = true;
        return super.getAsyncContext();
    }
}
