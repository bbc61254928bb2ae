package dev.sluice.proxy.middleware.auth;

import dev.sluice.proxy.service.Exchange;
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
 * A request whose middleware started async mode to wait for something (an auth sub-request, keys)
 * and now continues the chain from a callback thread. The proxy servlet downstream starts async
 * mode itself, which a container refuses outside the original dispatch; here that call returns the
 * async context already started, so the rest of the chain runs as if it had not been interrupted.
 *
 * <p>Whoever downstream asks for the async context (the proxy servlet, static files, another
 * forwardAuth) completes it; so does the proxy servlet when Sluice's chain dispatches the request
 * to it again (off the dispatching thread the container's chain may be gone, as in Tomcat). A plain servlet (in a WAR) never does: once it returns, the exchange
 * is completed here, as the container would have done at the end of a normal dispatch.
 */
final class ResumedRequest extends HttpServletRequestWrapper {
    private boolean claimed;

    private ResumedRequest(HttpServletRequest request) {
        super(request);
    }

    /** Continues {@code chain} with {@code request} from a callback; a failure completes the exchange with 500. */
    static void resume(AsyncContext async, FilterChain chain, HttpServletRequest request, ServletResponse response) {
        ResumedRequest resumed = new ResumedRequest(request);
        try {
            chain.doFilter(resumed, response);
            // Sluice's own chain may have handed the request to a new dispatch (see
            // servlet.ProxyChain): the proxy servlet completes it there.
            Exchange exchange = Exchange.of(request);
            if (!resumed.claimed && (exchange == null || !exchange.isRedispatched())) {
                async.complete();
            }
        } catch (IOException | ServletException | RuntimeException e) {
            if (!response.isCommitted()) {
                AsyncAnswer.error(async, (HttpServletResponse) response, 500, null);
            } else {
                async.complete();
            }
        }
    }

    /** In the callback, the context already started; in a later dispatch (see servlet.ProxyChain), a new one. */
    @Override
    public AsyncContext startAsync() {
        return isAsyncStarted() ? getAsyncContext() : super.startAsync();
    }

    @Override
    public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
        return isAsyncStarted() ? getAsyncContext() : super.startAsync(request, response);
    }

    @Override
    public AsyncContext getAsyncContext() {
        claimed = true;
        return super.getAsyncContext();
    }
}
