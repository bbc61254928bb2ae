package dev.sluice.proxy.middleware;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * When an exchange is really over: middlewares that hold something for the duration of a request
 * (an in-flight slot) or judge its outcome (a circuit breaker) run their task here. A request that
 * went asynchronous (the proxy) is over when its {@link AsyncContext} completes, errs or times out;
 * one that did not is over when the chain returns.
 *
 * <p>A listener can only be added to an {@link AsyncContext} during a container dispatch. A
 * middleware that delays a request ({@link #suspend}) resumes the chain on a timer thread, outside
 * any dispatch, so one listener is added when it suspends, and tasks registered later join it
 * through a request attribute. Races, in order: (1) the chain returns, (2) the task is added, (3)
 * the context completes, possibly before (2) on another thread: a task added after completion runs
 * at once.
 */
final class Completion implements AsyncListener {
    private static final String ATTRIBUTE = Completion.class.getName();

    private final List<Runnable> tasks = new ArrayList<>();
    private boolean over;

    private Completion() {}

    /** Runs the chain, then {@code task} once when the exchange is over (also if the chain throws). */
    static void afterChain(ServletRequest request, ServletResponse response, FilterChain chain, Runnable task)
            throws IOException, ServletException {
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException | Error e) {
            task.run();
            throw e;
        }
        Completion completion = (Completion) request.getAttribute(ATTRIBUTE);
        if (completion == null && request.isAsyncStarted()) {
            completion = new Completion();
            request.getAsyncContext().addListener(completion);
            request.setAttribute(ATTRIBUTE, completion);
        }
        if (completion == null) {
            task.run();
        } else {
            completion.add(task);
        }
    }

    /**
     * Starts async processing to resume the chain later with {@link #resume}: the container is
     * left, nothing is blocked meanwhile.
     */
    static AsyncContext suspend(HttpServletRequest request) {
        AsyncContext context = request.startAsync();
        context.setTimeout(0); // the caller's timer resumes it
        Completion completion = new Completion();
        context.addListener(completion);
        request.setAttribute(ATTRIBUTE, completion);
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
            try {
                if (!response.isCommitted()) {
                    ((jakarta.servlet.http.HttpServletResponse) response).sendError(500);
                }
            } catch (IOException | IllegalStateException ignored) {
                // the client is gone; completing below is all that is left to do
            }
            context.complete();
            return;
        }
        if (!resumed.tookOver) {
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

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not called: a resumed request hands out the context already started instead of starting again
    }

    /** A resumed request: {@code startAsync} returns the context that is already started. */
    private static final class ResumedRequest extends HttpServletRequestWrapper {
        private final AsyncContext context;
        private volatile boolean tookOver;

        ResumedRequest(HttpServletRequest request, AsyncContext context) {
            super(request);
            this.context = context;
        }

        @Override
        public AsyncContext startAsync() {
            tookOver = true;
            return context;
        }

        @Override
        public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
            tookOver = true;
            return context;
        }

        @Override
        public boolean isAsyncStarted() {
            return true;
        }

        @Override
        public AsyncContext getAsyncContext() {
            return context;
        }
    }
}
