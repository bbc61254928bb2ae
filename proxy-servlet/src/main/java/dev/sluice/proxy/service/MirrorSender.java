package dev.sluice.proxy.service;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.Request;

/**
 * Sends copies of requests to one mirror and forgets them: responses are read and discarded by the
 * client, failures are ignored, and copies beyond {@value #MAX_IN_FLIGHT} in flight are dropped so
 * that a stalled mirror cannot pile up memory.
 */
public final class MirrorSender {
    static final int MAX_IN_FLIGHT = 256;
    private static final long TIMEOUT_SECONDS = 30;
    /** Besides hop-by-hop headers: the body is resent whole, without the client's framing or Expect. */
    private static final Set<String> NOT_COPIED = Set.of("expect", "content-length");

    private final AtomicInteger inFlight = new AtomicInteger();

    /** Copies in flight now (for tests and metrics). */
    public int inFlight() {
        return inFlight.get();
    }

    void send(HttpServletRequest request, HttpService.Target target, byte[] body) {
        if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
            inFlight.decrementAndGet();
            return;
        }
        Server server = target.server();
        String path = request.getRequestURI().substring(request.getContextPath().length());
        Request copy;
        try {
            copy = server.via(target.balancer().settings().client().newRequest(URI.create(server.origin() + server.upstreamPath(path, request.getQueryString()))));
        } catch (IllegalArgumentException e) {
            inFlight.decrementAndGet();
            return;
        }
        copy.method(request.getMethod()).timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Set<String> connectionNamed = HopByHop.namedBy(request.getHeaders("Connection"));
        copy.headers(headers -> {
            for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); ) {
                String name = names.nextElement();
                if (!HopByHop.drop(name, connectionNamed) && !NOT_COPIED.contains(name.toLowerCase(Locale.ROOT))) {
                    for (Enumeration<String> values = request.getHeaders(name); values.hasMoreElements(); ) {
                        headers.add(name, values.nextElement());
                    }
                }
            }
            // Like a proxied request: the client's Host unless the mirror's service says passHostHeader = false.
            String host = request.getHeader("Host");
            if (host != null && target.balancer().settings().passHostHeader()) {
                headers.put("Host", host);
            }
        });
        if (body != null && body.length > 0) {
            copy.body(new BytesRequestContent(body));
        }
        copy.send(result -> inFlight.decrementAndGet());
    }
}
