package dev.sluice.proxy.service;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.WriteListener;

/**
 * Per-request state shared by the filter, the service tree and the proxy servlet: one typed object
 * under one request attribute instead of many string-keyed attributes.
 */
public final class Exchange {
    private static final String ATTRIBUTE = Exchange.class.getName();

    private final String router;
    private final String service;
    private final ForwardingPolicy forwarding;
    private Server server;
    private LoadBalancer balancer;
    private WriteListener writer;
    private volatile boolean clientFailed;
    private Replay replay;
    private volatile boolean redispatched;


    private Retries retries;

    public Exchange(String router, String service, ForwardingPolicy forwarding) {
        this.router = router;
        this.service = service;
        this.forwarding = forwarding;
    }

    public static Exchange of(ServletRequest request) {
        return (Exchange) request.getAttribute(ATTRIBUTE);
    }

    public void attachTo(ServletRequest request) {
        request.setAttribute(ATTRIBUTE, this);
    }

    /** Chooses the upstream that the proxy servlet will call, and the load balancer it belongs to. */
    public void target(Server server, LoadBalancer balancer) {
        this.server = server;
        this.balancer = balancer;
    }

    public String router() {
        return router;
    }

    public String service() {
        return service;
    }

    public ForwardingPolicy forwarding() {
        return forwarding;
    }

    /** The chosen upstream, or {@code null} when the service had none available. */
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
}
