package dev.sluice.proxy.service;

import dev.sluice.proxy.observe.ExchangeObserver;
import dev.sluice.proxy.observe.ExchangeTrace;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One request from its arrival to the last byte of its answer: the state shared by the filter, the
 * middlewares, the service tree and the proxy servlet (one typed object under one request
 * attribute), and the one place where the exchange is over.
 *
 * <p>{@link #begin} installs it before anything else looks at the request, with a metered request
 * and response ({@link #request()}, {@link #response()}) that count bytes and the first byte's time.
 * {@link #run} runs the rest within the container's dispatch. The exchange is over exactly once,
 * however it ends: answered before the dispatch returned, or later when its {@link AsyncContext}
 * completes, errs or times out (proxied, aborted by the client, failed upstream). Then the tasks of
 * middlewares ({@link #onEnd}: an in-flight slot, a breaker's verdict) run, then the runtime's
 * {@link ExchangeObserver} (metrics, access log, tracing).
 *
 * <p>A listener can only be added to an {@link AsyncContext} during a container dispatch, and a
 * request must not be touched once its exchange is over: it is recycled. A middleware that delays
 * a request ({@link #suspend}) resumes the chain on a timer thread, where the exchange may be over
 * before the dispatch returns; so it listens from the moment it suspends, and {@link #run} then
 * leaves the request alone.
 */
public final class Exchange implements AsyncListener {
    private static final String ATTRIBUTE = Exchange.class.getName();

    /** How an exchange ended, as metrics and logs tell it. */
    public enum Outcome {
        /** Sluice answered itself: a middleware, a static site, a redirect, a 404 or 503. */
        ANSWERED,
        /** An upstream answered, and the answer reached the client. */
        PROXIED,
        /** The client went away before the answer was complete. */
        CLIENT_ABORTED,
        /** The upstream could not be reached or failed mid-answer (502). */
        UPSTREAM_FAILED,
        /** The upstream, or the exchange itself, took too long (504, an async timeout). */
        TIMED_OUT,
        /** Sluice failed: an exception escaped to the container. */
        FAILED
    }

    /** What {@link #run} runs within the container's dispatch. */
    @FunctionalInterface
    public interface Dispatch {
        void run() throws IOException, ServletException;
    }

    private final String entryPoint;
    private final ExchangeObserver observer;
    private final HttpServletRequest containerRequest;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    /** The response, metered; null while nothing observes exchanges (nobody would read the counts). */
    private final MeteredResponse metered;
    private final long startNanos = System.nanoTime();
    private final long startMillis = System.currentTimeMillis();
    private final long declaredBytesIn;
    private long bytesIn;

    private String router;
    private String service;
    private ForwardingPolicy forwarding = ForwardingPolicy.TRUST_NOBODY;
    private Server server;
    private LoadBalancer balancer;
    private WriteListener writer;
    private volatile boolean clientFailed;
    private Replay replay;
    private volatile boolean redispatched;
    private Retries retries;
    private volatile String user;
    private volatile boolean reachedService;
    private volatile Refusal refusal;

    private volatile int originStatus;
    private volatile long originStartNanos;
    private volatile long originEndNanos;
    private volatile Outcome failure;

    private ExchangeTrace trace = ExchangeTrace.NONE;

    /** Set when the request was upgraded: the exchange lasts as long as its tunnel. */
    private volatile boolean upgraded;
    /** Copies of the request and response for observers once upgraded (the container recycles them early). */
    private volatile HttpServletRequest observedRequest;
    private volatile HttpServletResponse observedResponse;
    private volatile long tunnelBytesIn;
    private volatile long tunnelBytesOut;

    private List<Runnable> tasks;
    private boolean over;
    private long endNanos;
    /** Added to the request's AsyncContext: the container reports the end. */
    private volatile boolean listening;

    private Exchange(HttpServletRequest request, HttpServletResponse response, String entryPoint, ExchangeObserver observer) {
        this.entryPoint = entryPoint;
        this.observer = observer;
        this.containerRequest = request;
        this.declaredBytesIn = request.getContentLengthLong();
        boolean observed = observer.observes();
        this.request = observed && MeteredRequest.needed(request, declaredBytesIn) ? new MeteredRequest(request, this) : request;
        this.metered = observed ? new MeteredResponse(response) : null;
        this.response = observed ? metered : response;
    }

    /**
     * Installs the exchange of a request that just arrived on {@code entryPoint} (null in a WAR,
     * where every router applies); pass {@link #request()} and {@link #response()} on.
     */
    public static Exchange begin(HttpServletRequest request, HttpServletResponse response, String entryPoint,
            ExchangeObserver observer) {
        Exchange exchange = new Exchange(request, response, entryPoint, observer);
        request.setAttribute(ATTRIBUTE, exchange); // wrappers share the attributes of the request they wrap
        if (request.getAttribute(ContainerEnd.ATTRIBUTE) instanceof ContainerEnd end) {
            end.watch(exchange);
        }
        observer.began(exchange);
        return exchange;
    }

    /** The exchange of {@code request}, or {@code null} when nothing began one (a middleware outside Sluice's filter). */
    public static Exchange of(ServletRequest request) {
        return (Exchange) request.getAttribute(ATTRIBUTE);
    }

    /**
     * Runs {@code dispatch} within the container's dispatch that began the exchange; the exchange is
     * over when it returns, or, if it went asynchronous, when the container says so.
     */
    public void run(Dispatch dispatch) throws IOException, ServletException {
        try {
            dispatch.run();
        } catch (IOException | ServletException | RuntimeException | Error e) {
            failure = Outcome.FAILED;
            finish(); // the container answers the failure at once
            throw e;
        }
        if (listening) {
            return; // suspended: do not touch the request, it may be over already
        }
        // Still within the dispatch, so the exchange cannot be over yet.
        if (containerRequest.isAsyncStarted()) {
            listening = true;
            containerRequest.getAsyncContext().addListener(this);
        } else if (!upgraded) {
            finish();
        }
    }

    /**
     * The request is being upgraded (the server answered 101): the exchange is over when the tunnel
     * closes ({@link #tunnelClosed}), not when the dispatch returns.
     */
    public void upgraded() {
        observedRequest = new ObservedRequest(containerRequest);
        observedResponse = new ObservedResponse(response);
        upgraded = true;
    }

    /** True once the request was upgraded into a tunnel. */
    public boolean isUpgraded() {
        return upgraded;
    }

    /** The tunnel of an upgraded request closed, having carried these bytes from and to the client: the exchange is over. */
    public void tunnelClosed(long bytesFromClient, long bytesToClient) {
        tunnelBytesIn = bytesFromClient;
        tunnelBytesOut = bytesToClient;
        finish();
    }

    /**
     * Starts async processing through {@code request} (as a middleware sees it) to resume the chain
     * later from a timer or callback: the container is left, nothing is blocked meanwhile.
     */
    public AsyncContext suspend(HttpServletRequest request) {
        AsyncContext context = request.startAsync();
        context.setTimeout(0); // the caller resumes it
        listening = true;
        context.addListener(this);
        return context;
    }

    /** Runs {@code task} once when the exchange is over (at once if it is over already). */
    public void onEnd(Runnable task) {
        synchronized (this) {
            if (!over) {
                if (tasks == null) {
                    tasks = new ArrayList<>(2);
                }
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
            endNanos = System.nanoTime();
            run = tasks;
            tasks = null;
        }
        if (run != null) {
            run.forEach(Runnable::run);
        }
        observer.ended(this);
    }

    /**
     * The client's connection was aborted mid-answer (a truncated body must not pass for a whole
     * one): the container may never report the end of an aborted exchange, so it is over now.
     */
    public void cut() {
        finish();
    }

    /**
     * The container's end of the request ({@link ContainerEnd}): a no-op when the exchange ended
     * already, or was upgraded into a tunnel. A failure the servlet never heard of (the client's connection broke) is passed to the
     * response writer as the container would have, which aborts the upstream exchange: else it
     * would wait, with its connection, for a client that is gone.
     */
    void containerEnded(Throwable failure) {
        if (upgraded) {
            return; // the container is done with the HTTP exchange at the 101; the tunnel ends it (tunnelClosed)
        }
        if (failure != null) {
            WriteListener pending;
            synchronized (this) {
                if (over) {
                    return;
                }
                clientFailed = true;
                pending = writer;
            }
            if (pending != null) {
                try {
                    pending.onError(failure);
                } catch (RuntimeException e) {
                    // the request is recycled already: the upstream abort is what mattered
                }
            }
        }
        finish();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        if (!upgraded) {
            finish(); // an upgraded exchange ends with its tunnel (tunnelClosed)
        }
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        if (failure == null) {
            failure = Outcome.TIMED_OUT;
        }
        finish();
    }

    @Override
    public void onError(AsyncEvent event) {
        clientFailed = true;
        finish();
    }

    /** The request went async again in a later dispatch (see servlet.ProxyChain): keep listening there. */
    @Override
    public void onStartAsync(AsyncEvent event) {
        event.getAsyncContext().addListener(this);
    }

    /** The exchange's trace (its span), {@link ExchangeTrace#NONE} without tracing. */
    public ExchangeTrace trace() {
        return trace;
    }

    /** Set by tracing when the exchange begins, on the request's thread. */
    public void trace(ExchangeTrace trace) {
        this.trace = trace;
    }

    /** The request to pass downstream: the container's, metered when it has a body and something observes exchanges. */
    public HttpServletRequest request() {
        return request;
    }

    /** The response to pass downstream: the container's, metered when something observes exchanges (for observers of an upgraded exchange, a copy). */
    public HttpServletResponse response() {
        HttpServletResponse observed = observedResponse;
        return observed != null ? observed : response;
    }

    /** The router that took the request, and its service. */
    public void routed(String router, String service, ForwardingPolicy forwarding) {
        this.router = router;
        this.service = service;
        this.forwarding = forwarding;
    }

    /** The router's middlewares let the request through to its service. */
    public void reachedService() {
        reachedService = true;
    }

    /** True once the router's service got the request (false when a middleware answered, or no router matched). */
    public boolean hasReachedService() {
        return reachedService;
    }

    /** What a middleware that refused a request says of it, for metrics: its name and type. */
    public record Refusal(String middleware, String type) {}

    /**
     * A middleware refused the request to protect the service ({@code rateLimit}, {@code inFlightReq},
     * {@code circuitBreaker}); {@code type} is the middleware type as configured.
     */
    public void refusedBy(String middleware, String type) {
        refusal = new Refusal(middleware, type);
    }

    /** The refusal, or null when no middleware refused the request. */
    public Refusal refusal() {
        return refusal;
    }

    /** Chooses the upstream that the proxy servlet will call, and the load balancer it belongs to. */
    public void target(Server server, LoadBalancer balancer) {
        this.server = server;
        this.balancer = balancer;
    }

    /** The entry point the request arrived on; {@code null} in a WAR. */
    public String entryPoint() {
        return entryPoint;
    }

    /** The router that took the request; {@code null} if none matched (or outside Sluice's filter). */
    public String router() {
        return router;
    }

    public String service() {
        return service;
    }

    public ForwardingPolicy forwarding() {
        return forwarding;
    }

    /** The chosen upstream (the last one tried), or {@code null} when there was none. */
    public Server server() {
        return server;
    }

    /** The load balancer that chose {@link #server()}: how to reach it and where to report outcomes. */
    public LoadBalancer balancer() {
        return balancer;
    }

    /** The proxy's response writer, once the first chunk of the body arrived (owned by the servlet layer). */
    public WriteListener writer() {
        return writer;
    }

    public void writer(WriteListener writer) {
        this.writer = writer;
    }

    /**
     * The client's side failed: it went away while its body was read or the response written. The
     * upstream exchange is then aborted, which is no fault of the server (passive health checks).
     */
    public void clientFailed() {
        clientFailed = true;
    }

    public boolean isClientFailed() {
        return clientFailed;
    }

    /** Set by a failover with {@code errors}: where to replay if the main answers a listed status. */
    public void replay(Replay replay) {
        this.replay = replay;
    }

    public Replay replay() {
        return replay;
    }

    /**
     * A middleware resumed the chain from a callback, after the container's dispatch returned: the
     * request is dispatched again, straight to the proxy servlet, which completes it there.
     */
    public void redispatched() {
        redispatched = true;
    }

    /** True once the chain was resumed by a dispatch: the proxy then runs in that later dispatch. */
    public boolean isRedispatched() {
        return redispatched;
    }

    /** Set by a retry middleware, or buffering's {@code retryExpression}: when the proxy may try again elsewhere. */
    public void retries(Retries retries) {
        this.retries = retries;
    }

    public Retries retries() {
        return retries;
    }

    /** An auth middleware (basicAuth, digestAuth) authenticated {@code name}: the access log's {@code ClientUsername}. */
    public void authenticated(String name) {
        user = name;
    }

    /** The user an auth middleware authenticated, or {@code null}. */
    public String user() {
        return user;
    }

    /** The proxy servlet sends the request upstream (again, on a retry). */
    public void originStarted() {
        originStartNanos = System.nanoTime();
        originEndNanos = 0;
        originStatus = 0;
    }

    /** The upstream's status line arrived. */
    public void originAnswered(int status) {
        originStatus = status;
    }

    /** The upstream's answer was received whole. */
    public void originEnded() {
        originEndNanos = System.nanoTime();
    }

    /** The upstream failed (502) or timed out (504), as the client is told. */
    public void originFailed(boolean timedOut) {
        originEndNanos = System.nanoTime();
        failure = timedOut ? Outcome.TIMED_OUT : Outcome.UPSTREAM_FAILED;
    }

    // ---- What observers read once the exchange is over. The request and response may only be read during the call.

    public Outcome outcome() {
        if (clientFailed) {
            return Outcome.CLIENT_ABORTED;
        }
        Outcome failed = failure;
        if (failed != null) {
            return failed;
        }
        return originStatus != 0 ? Outcome.PROXIED : Outcome.ANSWERED;
    }

    /** The status the client was sent (500 if Sluice failed before answering). */
    public int status() {
        if (upgraded) {
            return observedResponse.getStatus();
        }
        return failure == Outcome.FAILED && !response.isCommitted() ? 500 : response.getStatus();
    }

    /** The status the upstream sent, or 0 when none answered. */
    public int originStatus() {
        return originStatus;
    }

    /** Time from sending the request upstream to the end of its answer; -1 if it was not sent. */
    public long originNanos() {
        long start = originStartNanos;
        if (start == 0) {
            return -1;
        }
        long end = originEndNanos;
        return (end == 0 ? endNanos : end) - start;
    }

    /** Wall-clock time of arrival, for logs. */
    public long startMillis() {
        return startMillis;
    }

    /** {@link System#nanoTime()} at arrival. */
    public long startNanos() {
        return startNanos;
    }

    /** From arrival to the end. */
    public long durationNanos() {
        return endNanos - startNanos;
    }

    /** From arrival to the first byte of the answer's body (the end, for an answer without one). */
    public long firstByteNanos() {
        long first = metered == null ? 0 : metered.firstByteNanos();
        return (first == 0 ? endNanos : first) - startNanos;
    }

    /** Body bytes read from the client (with an upgraded request's tunnel, what it carried upstream). */
    public long bytesIn() {
        return (declaredBytesIn >= 0 ? declaredBytesIn : bytesIn) + tunnelBytesIn;
    }

    void countIn(int read) {
        bytesIn += read;
    }

    /** Body bytes written to the client (with an upgraded request's tunnel, what it carried to the client). */
    public long bytesOut() {
        return (metered == null ? 0 : metered.bytesWritten()) + tunnelBytesOut;
    }

    /** Tries of the upstream beyond the first (retries and failover replays). */
    public int retryAttempts() {
        Retries r = retries;
        return r == null ? 0 : Math.max(0, r.attempt() - 1);
    }

    /** The request as it arrived, for the observer's call only. */
    public HttpServletRequest containerRequest() {
        HttpServletRequest observed = observedRequest;
        return observed != null ? observed : containerRequest;
    }
}
