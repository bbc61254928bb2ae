package dev.sluice.proxy.middleware;

import dev.sluice.proxy.service.Exchange;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When an exchange is really over: middlewares that hold something for the duration of a request
 * (an in-flight slot) or judge its outcome (a circuit breaker) run their task here. A request that
 * went asynchronous (the proxy) is over when its {@link AsyncContext} completes, errs or times out;
 * one that did not is over when the chain returns.
 *
 * <p>A listener can only be added to an {@link AsyncContext} during a container dispatch, and a
 * request must not be touched once its exchange is over: it is recycled. A middleware that delays
 * a request ({@link #suspend}) resumes the chain on a timer thread, outside any dispatch, where the
 * exchange may be over before the chain returns. So the one listener is added when the request
 * suspends (or, for a request that is not delayed, after the chain returns within the dispatch),
 * and tasks join it through a request attribute before the chain runs.
 */
final class Completion implements AsyncListener {
    private static final Logger LOG = LoggerFactory.getLogger(Completion.class);
    private static final String ATTRIBUTE = Completion.class.getName();

    private final List<Runnable> tasks = new ArrayList<>();
    private boolean over;
    /** Added to the request's AsyncContext: completion is reported by the container. */
    private volatile boolean listening;

    private Completion() {}

    /** Runs the chain, then {@code task} once when the exchange is over (also if the chain throws). */
    static void afterChain(ServletRequest request, ServletResponse response, FilterChain chain, Runnable task)
            throws IOException, ServletException {
        Completion completion = (Completion) request.getAttribute(ATTRIBUTE);
        if (completion == null) {
            completion = new Completion();
            request.setAttribute(ATTRIBUTE, completion);
        }
        completion.add(task);
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException | Error e) {
            completion.finish(); // the container answers the failure at once
            throw e;
        }
        if (completion.listening) {
            return; // suspended earlier (do not touch the request: it may be over already), or an inner middleware listens
        }
        // Not resumed, so still within the container's dispatch: the exchange cannot be over yet.
        if (request.isAsyncStarted()) {
            completion.listening = true;
            request.getAsyncContext().addListener(completion);
        } else {
            completion.finish();
        }
    }

    /**
     * Starts async processing to resume the chain later with {@link #resume}: the container is
     * left, nothing is blocked meanwhile.
     */
    static AsyncContext suspend(HttpServletRequest request) {
        AsyncContext context = request.startAsync();
        context.setTimeout(0); // the caller's timer resumes it
        Completion completion = (Completion) request.getAttribute(ATTRIBUTE); // tasks of middlewares before this one
        if (completion == null) {
            completion = new Completion();
            request.setAttribute(ATTRIBUTE, completion);
        }
        completion.listening = true;
        context.addListener(completion);
        return context;
    }

    /**
     * Runs the rest of the chain for a request suspended by {@link #suspend}, off the container's
     * dispatch. Downstream may go asynchronous again (the proxy calls {@code startAsync}): it is
     * handed the context already started. If nothing downstream did, the answer is complete when
     * the chain returns, and so is the context.
     */
    static void resume(AsyncContext context, HttpServletRequest request, ServletResponse response, FilterChain chain) {
        ResumedRequest resumed = new ResumedRequest(request, context);
        try {
            chain.doFilter(resumed, response);
        } catch (Exception | Error e) {
            LOG.warn("{} {}: failed after a delay", request.getMethod(), request.getRequestURI(), e);
            if (!resumed.tookOver) {
                try {
                    ShortAnswers.status((HttpServletResponse) response, 500);
                } catch (IOException | IllegalStateException ignored) {
                    // the client is gone, or part of an answer went out: completing is all that is left
                }
            }
        }
        // Sluice's chain may have handed the request to a new dispatch (servlet.ProxyChain): the
        // proxy servlet completes it there.
        Exchange exchange = Exchange.of(request);
        if (!resumed.tookOver && (exchange == null || !exchange.isRedispatched())) {
            context.complete();
        }
    }

    private void add(Runnable task) {
        synchronized (this) {
            if (!over) {
                tasks.add(task);
                return;
            }
        }
        task.run();
    }

    private void finish() {
        List<Runnable> run;
        synchronized (this) {
            if (over) {
                return;
            }
            over = true;
            run = List.copyOf(tasks);
            tasks.clear();
        }
        run.forEach(Runnable::run);
    }

    @Override
    public void onComplete(AsyncEvent event) {
        finish();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        finish();
    }

    @Override
    public void onError(AsyncEvent event) {
        finish();
    }

    /** The request went async again in a later dispatch (see servlet.ProxyChain): keep listening there. */
    @Override
    public void onStartAsync(AsyncEvent event) {
        event.getAsyncContext().addListener(this);
    }

    /** A resumed request: {@code startAsync} returns the context that is already started. */
    private static final class ResumedRequest extends HttpServletRequestWrapper {
        private final AsyncContext context;
        private volatile boolean tookOver;

        ResumedRequest(HttpServletRequest request, AsyncContext context) {
            super(request);
            this.context = context;
        }

        // In the callback the context already started is handed out; in a later dispatch (see
        // servlet.ProxyChain) the request is async no more and starts a new one.
        @Override
        public AsyncContext startAsync() {
            if (!super.isAsyncStarted()) {
                return super.startAsync();
            }
            tookOver = true;
            return context;
        }

        @Override
        public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
            if (!super.isAsyncStarted()) {
                return super.startAsync(request, response);
            }
            tookOver = true;
            return context;
        }
    }
}
