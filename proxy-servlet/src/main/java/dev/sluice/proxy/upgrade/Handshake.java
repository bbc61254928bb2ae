package dev.sluice.proxy.upgrade;

import dev.sluice.proxy.service.Exchange;
import dev.sluice.proxy.service.Upgrades;
import dev.sluice.proxy.service.HopByHop;
import dev.sluice.proxy.service.LoadBalancer;
import dev.sluice.proxy.service.Server;
import dev.sluice.proxy.service.ShortAnswers;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpUpgrader;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upgrade request on its way: sent to the chosen server over the load balancer's client as an
 * HTTP/1.1 request that keeps {@code Upgrade} and {@code Connection: Upgrade}, and answered to the
 * client in a container dispatch once the server replied. A 101 becomes a {@link Tunnel} (the
 * server's connection taken over from Jetty's client through {@link HttpUpgrader}, the client's
 * through {@code HttpServletRequest.upgrade}); any other answer is passed on as it came (its body
 * bounded by {@link #MAX_REFUSAL_BYTES}); a failure is a 502, a timeout a 504.
 */
final class Handshake implements HttpUpgrader {
    private static final Logger LOG = LoggerFactory.getLogger(Handshake.class);
    /** An answer other than 101 to an upgrade is a refusal page: kept whole up to this size, else 502. */
    static final int MAX_REFUSAL_BYTES = 1024 * 1024;
    /** How long the container may take to hand the client's connection over once the 101 is set. */
    private static final long HAND_OVER_BOUND_SECONDS = 30;

    final HttpServletRequest request;
    private final HttpServletResponse response;
    private final Exchange exchange;
    private final Server server;
    private final LoadBalancer balancer;
    private final LoadBalancer.Settings settings;
    private final AtomicBoolean delivered = new AtomicBoolean();
    private final CountDownLatch replied = new CountDownLatch(1);
    /** Set when the reply is handed to a later async dispatch; null when the first dispatch waits for it. */
    private final AsyncContext async;
    private Request upstream;

    private volatile Response reply;
    private volatile byte[] replyBody;
    /** Set when the container lets Sluice take the client's connection over (Jetty standalone). */
    private final ClientEndPoints clientEndPoints;
    private volatile UpstreamLane lane;
    private volatile EndPointTunnel endPointTunnel;
    private volatile Throwable failure;

    Handshake(HttpServletRequest request, HttpServletResponse response, Exchange exchange, AsyncContext async) {
        this.request = request;
        this.response = response;
        this.exchange = exchange;
        this.server = exchange.server();
        this.balancer = exchange.balancer();
        this.settings = balancer.settings();
        this.async = async;
        this.clientEndPoints = ClientEndPoints.of(request);
    }

    void send(UpgradeProxy.RequestHeaders headers) {
        HttpClient client = settings.client();
        String path = request.getRequestURI().substring(request.getContextPath().length());
        upstream = newRequest(client, server, server.upstreamPath(path.isEmpty() ? "/" : path, request.getQueryString()))
                .method(request.getMethod())
                .version(HttpVersion.HTTP_1_1); // upgrades exist in HTTP/1.1 only, whatever the server speaks otherwise
        headers.copy(request, upstream);
        boolean webSocket = Upgrades.isWebSocket(request);
        upstream.headers(fields -> {
            for (Enumeration<String> values = request.getHeaders("Upgrade"); values.hasMoreElements(); ) {
                fields.add(HttpHeader.UPGRADE, values.nextElement());
            }
            fields.put(HttpHeader.CONNECTION, "Upgrade");
            if (webSocket) {
                // As Traefik: the scheme the server sees is the WebSocket one.
                String proto = fields.get("X-Forwarded-Proto");
                fields.put("X-Forwarded-Proto", "https".equalsIgnoreCase(proto) || "wss".equalsIgnoreCase(proto) ? "wss" : "ws");
            }
        });
        long headerTimeout = settings.responseHeaderTimeoutMillis();
        if (headerTimeout > 0) {
            upstream.timeout(client.getConnectTimeout() + headerTimeout, TimeUnit.MILLISECONDS);
        }
        upstream.attribute(HttpUpgrader.Factory.class.getName(), (HttpUpgrader.Factory) version -> this);
        server.started();
        exchange.originStarted();
        upstream.send(new BufferingResponseListener(MAX_REFUSAL_BYTES) {
            @Override
            public void onComplete(Result result) {
                if (result.isFailed()) {
                    failure = result.getFailure();
                } else {
                    reply = result.getResponse();
                    replyBody = getContent();
                }
                deliver();
            }
        });
    }

    private static Request newRequest(HttpClient client, Server server, String pathAndQuery) {
        try {
            return client.newRequest(URI.create(server.origin() + pathAndQuery));
        } catch (IllegalArgumentException notAUri) {
            return client.newRequest(server.origin()).path(pathAndQuery);
        }
    }

    @Override
    public void prepare(Request request) {
        // headers are set in send()
    }

    /** The server answered 101: its connection becomes the tunnel's upstream lane. On a client thread. */
    @Override
    public void upgrade(Response response, EndPoint endPoint, Callback callback) {
        endPoint.setIdleTimeout(settings.tunnelIdleTimeoutMillis());
        if (clientEndPoints != null) {
            EndPointTunnel tunnel = new EndPointTunnel(endPoint, settings.client().getExecutor(), settings.tunnelIdleTimeoutMillis(),
                    this::tunnelEnded);
            endPoint.upgrade(tunnel.upstream());
            endPointTunnel = tunnel;
        } else {
            UpstreamLane upgraded = new UpstreamLane(endPoint, settings.client().getExecutor());
            endPoint.upgrade(upgraded);
            lane = upgraded;
        }
        reply = response;
        callback.succeeded();
        deliver();
    }

    private void tunnelEnded(long fromClient, long toClient, Throwable cause) {
        server.finished();
        exchange.originEnded();
        exchange.tunnelClosed(fromClient, toClient);
    }

    private void deliver() {
        if (!delivered.compareAndSet(false, true)) {
            return;
        }
        if (async != null) {
            request.setAttribute(UpgradeProxy.PENDING, this);
            async.dispatch();
        } else {
            replied.countDown();
        }
    }

    /** Waits in the first dispatch (containers that upgrade only there) for the server's reply, bounded. */
    void await() throws IOException {
        HttpClient client = settings.client();
        long headerTimeout = settings.responseHeaderTimeoutMillis();
        long bound = client.getConnectTimeout() + (headerTimeout > 0 ? headerTimeout : client.getIdleTimeout()) + 1000;
        try {
            if (!replied.await(bound, TimeUnit.MILLISECONDS)) {
                TimeoutException timeout = new TimeoutException("no answer to the upgrade within " + bound + " ms");
                upstream.abort(timeout);
                if (delivered.compareAndSet(false, true)) {
                    failure = timeout;
                } else {
                    replied.await(); // the answer raced the timeout: it is being delivered now
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            upstream.abort(e);
            throw new IOException("interrupted while waiting for the upgrade's answer", e);
        }
    }

    /** Answers the client within a container dispatch ({@code dispatched} is that dispatch's request). */
    void answer(HttpServletRequest dispatched) throws IOException, ServletException {
        Throwable failed = failure;
        if (failed != null) {
            fail(failed);
            return;
        }
        Response answer = reply;
        exchange.originAnswered(answer.getStatus());
        UpstreamLane upgraded = lane;
        EndPointTunnel endPoints = endPointTunnel;
        if (upgraded == null && endPoints == null) {
            refused(answer);
            return;
        }
        copyHeaders(answer.getHeaders());
        response.setHeader("Upgrade", answer.getHeaders().get(HttpHeader.UPGRADE));
        response.setHeader("Connection", "Upgrade");
        if (endPoints != null) {
            if (!clientEndPoints.upgradeTo(dispatched, endPoints::client)) {
                endPoints.upstream().getEndPoint().close();
                fail(new IllegalStateException("the client's connection cannot be upgraded (" + dispatched.getProtocol() + ")"));
                return;
            }
            response.setStatus(101); // sent when this dispatch ends; then the container hands the connection over
            exchange.upgraded();
            balancer.recordOutcome(server, false);
            afterHandOverBound(endPoints::closeIfClientNeverOpened);
            return;
        }
        TunnelHandler handler;
        try {
            handler = dispatched.upgrade(TunnelHandler.class);
        } catch (IOException | ServletException | RuntimeException e) {
            upgraded.getEndPoint().close(e);
            fail(e);
            return;
        }
        exchange.upgraded();
        balancer.recordOutcome(server, false);
        Tunnel tunnel = new Tunnel(upgraded, this::tunnelEnded);
        handler.tunnel(tunnel);
        afterHandOverBound(tunnel::closeIfClientNeverOpened);
    }

    /**
     * Runs {@code check} once the container has had ample time to hand the client's connection over:
     * a client that left before its 101 must not leave the server's connection (and the exchange)
     * open until the tunnel's idle timeout, or forever when that is 0.
     */
    private void afterHandOverBound(Runnable check) {
        settings.client().getScheduler().schedule(check, HAND_OVER_BOUND_SECONDS, TimeUnit.SECONDS);
    }

    /** The server answered without switching: its answer goes to the client as it came. */
    private void refused(Response answer) throws IOException {
        int status = answer.getStatus();
        exchange.originEnded();
        server.finished();
        balancer.recordOutcome(server, status >= 500);
        response.setStatus(status);
        copyHeaders(answer.getHeaders());
        byte[] body = replyBody;
        response.setContentLengthLong(body == null ? 0 : body.length);
        if (body != null && body.length > 0 && !"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(body);
        }
    }

    private void fail(Throwable failed) throws IOException {
        boolean timedOut = isTimeout(failed);
        int status = timedOut ? 504 : 502;
        server.finished();
        balancer.recordOutcome(server, !exchange.isClientFailed());
        exchange.originFailed(timedOut);
        LOG.warn("router {} service {} server {}: {} upgrade {} ({})", exchange.router(), exchange.service(), server, status,
                request.getRequestURI(), failed.toString());
        ShortAnswers.error(request, response, status);
    }

    private void copyHeaders(HttpFields fields) {
        Set<String> connectionNamed = fields.contains(HttpHeader.CONNECTION)
                ? HopByHop.namedBy(Collections.enumeration(fields.getValuesList(HttpHeader.CONNECTION))) : null;
        for (HttpField field : fields) {
            HttpHeader header = field.getHeader();
            if ((header != null && (HopByHop.isFixed(header) || header == HttpHeader.CONTENT_LENGTH))
                    || (connectionNamed != null && connectionNamed.contains(field.getLowerCaseName()))) {
                continue;
            }
            if (header == HttpHeader.DATE || header == HttpHeader.SERVER || header == HttpHeader.CONTENT_TYPE) {
                response.setHeader(field.getName(), field.getValue());
            } else {
                response.addHeader(field.getName(), field.getValue());
            }
        }
    }

    private static boolean isTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
