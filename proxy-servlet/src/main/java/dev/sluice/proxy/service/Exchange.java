package dev.sluice.proxy.service;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.WriteListener;
import org.eclipse.jetty.client.HttpClient;

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
    private HttpClient client;
    private boolean passHostHeader = true;
    private long responseHeaderTimeoutMillis;
    private WriteListener writer;

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

    /** Chooses the upstream that the proxy servlet will call, and how. */
    public void target(Server server, HttpClient client, boolean passHostHeader, long responseHeaderTimeoutMillis) {
        this.server = server;
        this.client = client;
        this.passHostHeader = passHostHeader;
        this.responseHeaderTimeoutMillis = responseHeaderTimeoutMillis;
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

    public HttpClient client() {
        return client;
    }

    public boolean passHostHeader() {
        return passHostHeader;
    }

    /** The proxy's response writer, once the first chunk of the body arrived (owned by the servlet layer). */
    public WriteListener writer() {
        return writer;
    }

    public void writer(WriteListener writer) {
        this.writer = writer;
    }

    /** 0 when none. */
    public long responseHeaderTimeoutMillis() {
        return responseHeaderTimeoutMillis;
    }
}
