package dev.sluice.proxy.servlet;

import static dev.sluice.proxy.servlet.UpstreamAnswers.announcesTrailers;
import static dev.sluice.proxy.servlet.UpstreamAnswers.describe;
import static dev.sluice.proxy.servlet.UpstreamAnswers.trailers;
import static dev.sluice.proxy.servlet.UpstreamAnswers.upstreamPath;

import dev.sluice.proxy.observe.ExchangeTrace;
import dev.sluice.proxy.middleware.Resume;
import dev.sluice.proxy.runtime.SluiceRuntime;
import dev.sluice.proxy.service.Exchange;
import dev.sluice.proxy.service.HopByHop;
import dev.sluice.proxy.service.HttpService;
import dev.sluice.proxy.service.Replay;
import dev.sluice.proxy.service.Retries;
import dev.sluice.proxy.service.LoadBalancer;
import dev.sluice.proxy.service.Server;
import dev.sluice.proxy.service.ShortAnswers;
import dev.sluice.proxy.transport.UpstreamAuthority;
import dev.sluice.proxy.transport.UpstreamClients;
import dev.sluice.proxy.upgrade.UpgradeProxy;
import dev.sluice.proxy.service.Upgrades;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.SocketTimeoutException;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.AsyncRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.ee10.proxy.AsyncProxyServlet;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards a request to the server its {@link Exchange} chose, streaming bodies both ways without
 * blocking (Jetty's {@link AsyncProxyServlet}), and fills what that servlet leaves out: a flush
 * after each chunk ({@link ResponseWriter}), the {@code X-Forwarded-*} headers, {@code passHostHeader},
 * trailers, a response-header timeout, and short plain-text errors (502 refused/reset, 503 no server, 504 timeout) logged with the router and
 * service. It uses the runtime's shared upstream clients, never the container's executor, so it
 * runs in Tomcat as well as in Jetty.
 *
 * <p>An upstream answer that must not reach the client is aborted at its headers and the request
 * sent again ({@link #sendAgain}): a failover's listed status goes to the fallback ({@link Replay}),
 * a retry middleware's listed status or early network failure to a server picked anew, after its
 * backoff ({@link Retries}).
 */
public class SluiceProxyServlet extends AsyncProxyServlet {
    private static final Logger LOG = LoggerFactory.getLogger(SluiceProxyServlet.class);
    /** The upstream request's attribute holding its {@link ExchangeTrace.Attempt}. */
    private static final String TRACE_ATTEMPT = ExchangeTrace.Attempt.class.getName();

    private SluiceRuntime runtime;

    @Override
    public void init() throws ServletException {
        runtime = (SluiceRuntime) getServletContext().getAttribute(SluiceRuntime.ATTRIBUTE);
        if (runtime == null) {
            throw new ServletException("Sluice is not started: no " + SluiceRuntime.ATTRIBUTE + " in the servlet context");
        }
        super.init();
    }

    /** The default transport's client: the base class sizes buffers from it. */
    @Override
    protected HttpClient createHttpClient() {
        return runtime.clients().get(UpstreamClients.DEFAULT);
    }

    /** Upstream clients belong to the runtime, which outlives (and stops) them. */
    @Override
    public void destroy() {}

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (request.getDispatcherType() == DispatcherType.ASYNC
                && (UpgradeProxy.resume(request) || Resume.pendingOn(request, (req, res) -> service((HttpServletRequest) req, (HttpServletResponse) res)))) {
            return; // an upgrade's reply, or a middleware's chain resumed after an async wait
        }
        Exchange exchange = Exchange.of(request);
        if (exchange == null || exchange.router() == null) {
            ShortAnswers.error(request, response, 404); // reached without SluiceFilter's routing in front
            return;
        }
        if (exchange.server() == null) {
            LOG.warn("router {} service {}: no server available", exchange.router(), exchange.service());
            ShortAnswers.error(request, response, 503);
            return;
        }
        if (Upgrades.requested(request)) {
            UpgradeProxy.forward(request, response, exchange, this::copyRequestHeaders); // WebSocket and other upgrades
            return;
        }
        if (LeanForward.covers(exchange, request)) {
            LeanForward.start(this, request, response, exchange); // plain HTTP/1.1 on the lean engine
            return;
        }
        super.service(request, response);
    }

    @Override
    protected String rewriteTarget(HttpServletRequest request) {
        Server server = Exchange.of(request).server();
        return _log.isDebugEnabled() ? server.origin() + upstreamPath(server, request) : server.url();
    }

    @Override
    protected Request newProxyRequest(HttpServletRequest request, String target) {
        Exchange exchange = Exchange.of(request);
        Server server = exchange.server();
        LoadBalancer balancer = exchange.balancer();
        LoadBalancer.Settings settings = balancer.settings();
        Request proxyRequest = newRequest(settings.client(), server, upstreamPath(server, request))
                .method(request.getMethod())
                .attribute(CLIENT_REQUEST_ATTRIBUTE, request);
        if (server.h2c()) {
            proxyRequest.version(HttpVersion.HTTP_2);
        }
        // HTTP/2 writes :authority from the request's host, not from a Host header; h2c is HTTP/2, and
        // https may become it by ALPN. Plain http:// keeps the server's host, with Host set per request.
        if (settings.passHostHeader() && (server.h2c() || "https".equals(proxyRequest.getScheme()))) {
            UpstreamAuthority.keep(proxyRequest, ForwardedHeaders.hostOf(request));
        }
        if (request.getHeader("Expect") != null) { // only a forwarded Expect: 100-continue gets a 100 to act on
            proxyRequest.attribute(UpstreamClients.CONTINUE_ACTION, (Runnable) () -> {
                Runnable action = onContinue(request, proxyRequest);
                if (action != null) {
                    action.run();
                }
            });
        }
        if (hasContent(request) && request.getContentLengthLong() < 0) {
            proxyRequest.trailersSupplier(() -> trailers(request.getTrailerFields()));
        }
        Retries retries = exchange.retries();
        if (retries != null) {
            proxyRequest.onRequestCommit(r -> retries.sent());
        }
        proxyRequest.onRequestBegin(StaleConnections::noteConnection);
        server.started();
        exchange.originStarted();
        ExchangeTrace.Attempt attempt = exchange.trace().attempt(request.getMethod(), server.url());
        if (attempt != ExchangeTrace.Attempt.NONE) {
            proxyRequest.attribute(TRACE_ATTEMPT, attempt); // its headers are put in copyRequestHeaders
            proxyRequest.onComplete(result -> attempt.ended(result.getResponse() == null ? 0 : result.getResponse().getStatus(),
                    result.getFailure()));
        }
        proxyRequest.onComplete(result -> {
            server.finished();
            // Passive health: a connection failure or a 5xx counts against the server; an exchange
            // aborted because the client went away does not.
            balancer.recordOutcome(server, (result.isFailed() && !exchange.isClientFailed())
                    || result.getResponse().getStatus() >= 500);
        });
        if (balancer.measuresResponseTime()) {
            long sent = System.nanoTime();
            proxyRequest.onResponseBegin(r -> server.recordResponseTime((System.nanoTime() - sent) / 1e6));
        }
        long headerTimeout = settings.responseHeaderTimeoutMillis();
        if (headerTimeout > 0) {
            armResponseHeaderTimeout(proxyRequest, settings.client().getScheduler(), headerTimeout);
        }
        return proxyRequest;
    }

    /**
     * Jetty's rule (a length, or {@code Transfer-Encoding}) misses HTTP/2 and HTTP/3 bodies, which
     * need neither: a gRPC call's message was dropped. There an unknown length counts as a body,
     * except for methods that carry none in practice (an empty one is then sent as an empty stream).
     */
    @Override
    protected boolean hasContent(HttpServletRequest request) {
        if (super.hasContent(request)) {
            return true;
        }
        if (request.getContentLengthLong() >= 0 || request.getProtocol().startsWith("HTTP/1")) {
            return false;
        }
        String method = request.getMethod();
        return !(method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS") || method.equals("TRACE"));
    }

    /**
     * A request for {@code origin + pathAndQuery}, kept byte for byte. A full URI is built whenever
     * it parses: handing a path to {@code Request.path()} would read a leading {@code //x} as an
     * authority and forward {@code //public/admin} as {@code /admin}. Paths that are no valid URI
     * ({@code |}, {@code {}}, raw non-ASCII, which lenient clients send) fail the same parse inside
     * {@code path()}, which then keeps them verbatim.
     */
    private static Request newRequest(HttpClient client, Server server, String pathAndQuery) {
        try {
            return server.via(client.newRequest(URI.create(server.origin() + pathAndQuery)));
        } catch (IllegalArgumentException notAUri) {
            return server.via(client.newRequest(server.origin()).path(pathAndQuery));
        }
    }

    /**
     * Traefik's {@code responseHeaderTimeout}: counted from the moment the request is fully sent;
     * response headers arriving in time cancel it.
     */
    private static void armResponseHeaderTimeout(Request proxyRequest, Scheduler scheduler, long millis) {
        Scheduler.Task[] task = new Scheduler.Task[1];
        proxyRequest.onRequestSuccess(r -> task[0] = scheduler.schedule(
                () -> r.abort(new TimeoutException("no response headers within " + millis + " ms")), millis, TimeUnit.MILLISECONDS));
        // An interim (1xx) answer is not the response's headers: the wait goes on (see InterimResponses).
        proxyRequest.onResponseBegin(r -> {
            if (!HttpStatus.isInterim(r.getStatus())) {
                cancel(task[0]);
            }
        });
        proxyRequest.onComplete(r -> cancel(task[0]));
    }

    private static void cancel(Scheduler.Task task) {
        if (task != null) {
            task.cancel();
        }
    }

    @Override
    protected void copyRequestHeaders(HttpServletRequest request, Request proxyRequest) {
        Exchange exchange = Exchange.of(request);
        proxyRequest.headers(headers -> {
            headers.clear();
            UpstreamRequestHeaders.copy(request, headers);
            // TE is hop-by-hop, but "TE: trailers" tells a gRPC server that the path understands trailers.
            if (UpstreamRequestHeaders.wantsTrailers(request)) {
                headers.put(HttpHeader.TE, "trailers");
            }
            // Over h2c the :authority carries the host (see newProxyRequest), and a Host header differing
            // from it would make the request malformed (RFC 9113 §8.3.1). Over https both carry the same.
            if (!exchange.server().h2c()) {
                headers.put(HttpHeader.HOST, exchange.balancer().settings().passHostHeader() ? ForwardedHeaders.hostOf(request) : exchange.server().hostHeader());
            }
            ForwardedHeaders.addTo(headers, request);
            // With tracing on, the upstream's parent is this attempt's span, not the client's.
            if (proxyRequest.getAttributes().get(TRACE_ATTEMPT) instanceof ExchangeTrace.Attempt attempt) {
                attempt.headers(headers::put);
            }
        });
    }

    /** Forwarded headers are set with the others in {@link #copyRequestHeaders}; no Via, no Forwarded, as in Traefik. */
    @Override
    protected void addProxyHeaders(HttpServletRequest request, Request proxyRequest) {}

    @Override
    protected void onServerResponseHeaders(HttpServletRequest request, HttpServletResponse response, Response serverResponse) {
        Exchange exchange = Exchange.of(request);
        exchange.originAnswered(serverResponse.getStatus());
        Replay replay = exchange.replay();
        if (replay != null && replay.claim(serverResponse.getStatus())) {
            // A failover's listed status: nothing of this answer reaches the client (see onProxyResponseFailure).
            serverResponse.abort(new SendAgain(serverResponse.getStatus(), true));
            return;
        }
        Retries retries = exchange.retries();
        if (retries != null && retries.claimStatus(serverResponse.getStatus())) {
            serverResponse.abort(new SendAgain(serverResponse.getStatus(), false));
            return;
        }
        HttpFields fields = serverResponse.getHeaders(); // a new immutable view on each call: taken once
        Set<String> connectionNamed = HopByHop.namedBy(fields);
        for (HttpField field : fields) {
            HttpHeader header = field.getHeader();
            if ((header != null && HopByHop.isFixed(header))
                    || (connectionNamed != null && connectionNamed.contains(field.getLowerCaseName()))) {
                continue;
            }
            if (replacesContainerValue(header)) {
                response.setHeader(field.getName(), field.getValue());
            } else {
                response.addHeader(field.getName(), field.getValue());
            }
        }
        if (announcesTrailers(fields)) {
            try {
                response.setTrailerFields(() -> trailers(serverResponse.getTrailers()));
            } catch (IllegalStateException e) {
                // HTTP/1.0 client or fixed-length response: trailers cannot be sent to it.
                LOG.debug("trailers not forwarded to client", e);
            }
        }
    }

    /** Headers the container sets on its own (or that have one value): the upstream's replaces it. */
    private static boolean replacesContainerValue(HttpHeader header) {
        return header == HttpHeader.DATE || header == HttpHeader.SERVER || header == HttpHeader.CONTENT_TYPE
                || header == HttpHeader.CONTENT_LENGTH;
    }

    @Override
    protected void onResponseContent(HttpServletRequest request, HttpServletResponse response, Response proxyResponse,
            byte[] buffer, int offset, int length, Callback callback) {
        Exchange exchange = Exchange.of(request);
        try {
            ResponseWriter writer = (ResponseWriter) exchange.writer();
            if (writer == null) {
                LoadBalancer.Settings settings = exchange.balancer().settings();
                writer = new ResponseWriter(response.getOutputStream(), proxyResponse::abort, exchange, settings.flushIntervalNanos(),
                        streamedLength(proxyResponse), settings.client().getScheduler());
                exchange.writer(writer);
                // Queue the chunk before registering: the container may call onWritePossible at once, on another thread.
                writer.write(buffer, offset, length, callback);
                response.getOutputStream().setWriteListener(writer);
            } else {
                writer.write(buffer, offset, length, callback);
                writer.onWritePossible();
            }
        } catch (Throwable x) {
            exchange.clientFailed();
            callback.failed(x);
            proxyResponse.abort(x);
        }
    }

    /** The declared body length, or -1 for a streaming response (none declared, or an event stream), flushed chunk by chunk. */
    private static long streamedLength(Response response) {
        HttpFields headers = response.getHeaders();
        String type = headers.get(HttpHeader.CONTENT_TYPE);
        if (type != null && type.regionMatches(true, 0, "text/event-stream", 0, 17)) {
            return -1;
        }
        return headers.getLongField(HttpHeader.CONTENT_LENGTH);
    }

    @Override
    protected void onProxyResponseSuccess(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Response serverResponse) {
        Exchange exchange = Exchange.of(clientRequest);
        exchange.originEnded();
        if (exchange.writer() instanceof ResponseWriter writer) {
            writer.finish();
        }
        super.onProxyResponseSuccess(clientRequest, proxyResponse, serverResponse);
    }

    /** Reading the client's body failed (it went away): mark it as the client's failure, then abort. */
    @Override
    protected ReadListener newReadListener(HttpServletRequest request, HttpServletResponse response, Request proxyRequest,
            AsyncRequestContent content) {
        Exchange exchange = Exchange.of(request);
        return new StreamReader(request, response, proxyRequest, content) {
            @Override
            public void onError(Throwable failure) {
                exchange.clientFailed(); // called by the container: the client's side
                super.onError(failure);
            }

            @Override
            protected Action process() throws Exception {
                try {
                    return super.process();
                } catch (Throwable x) {
                    // Thrown, not failed through a callback: reading the client's body failed (it went
                    // away, or sent a malformed body: a bad chunk size, fewer bytes than its Content-Length).
                    exchange.clientFailed();
                    throw x;
                }
            }

            @Override
            protected void onFailure(Throwable cause) {
                content.fail(cause); // forwarding the body failed (either side: see process)
            }
        };
    }

    @Override
    protected void onClientRequestFailure(HttpServletRequest clientRequest, Request proxyRequest, HttpServletResponse proxyResponse,
            Throwable failure) {
        Exchange.of(clientRequest).clientFailed();
        super.onClientRequestFailure(clientRequest, proxyRequest, proxyResponse, failure);
    }

    /**
     * The 4xx of the container's parser when reading the client's body failed because the body was
     * malformed (Jetty's {@code BadMessageException}, {@code HttpEofException}: 400), else 0. Only
     * asked once the failure is known to be the client's: the upstream client throws the same types.
     */
    private static int malformedRequestStatus(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof org.eclipse.jetty.http.HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
                return http.getCode();
            }
            if (containersBadRequest(t.getClass())) {
                return 400;
            }
        }
        return 0;
    }

    /**
     * In a WAR the container's parser exceptions are the container's classes, not the WAR's copies
     * (Jetty's as a container, or Tomcat's {@code BadRequestException}): known by name.
     */
    private static boolean containersBadRequest(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            String name = c.getName();
            if (name.equals("org.eclipse.jetty.http.BadMessageException") || name.equals("org.apache.coyote.BadRequestException")) {
                return true;
            }
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().equals("org.eclipse.jetty.http.HttpException")) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    protected int proxyResponseStatus(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException) {
                return 504;
            }
        }
        return 502;
    }

    @Override
    protected void onProxyResponseFailure(HttpServletRequest request, HttpServletResponse response, Response serverResponse, Throwable failure) {
        Exchange exchange = Exchange.of(request);
        if (failure instanceof SendAgain again) {
            if (again.onFallback) {
                replayOnFallback(request, response, exchange, again.status);
            } else {
                retry(request, response, exchange, "answered " + again.status);
            }
            return;
        }
        Retries retries = exchange.retries();
        if (retries != null && !exchange.isClientFailed() && !response.isCommitted() && exchange.writer() == null
                && retries.claimFailed(proxyResponseStatus(failure))) {
            // Nothing reached the client. As in Traefik, the 502/504 this failure would give counts as
            // a status too (a timeout after the request was sent is retried if 504 is listed).
            retry(request, response, exchange, describe(failure));
            return;
        }
        if (!exchange.isClientFailed() && !response.isCommitted() && exchange.writer() == null && !hasContent(request)
                && proxyResponseStatus(failure) == 502 && StaleConnections.retryOnce(request, serverResponse)) {
            // A kept-alive connection the server closed as this request went out: once more, on another.
            LOG.debug("router {} service {} server {}: {} on a reused connection, sending {} {} again", exchange.router(),
                    exchange.service(), exchange.server(), describe(failure), request.getMethod(), request.getRequestURI());
            sendAgain(request, request, response, exchange, new HttpService.Target(exchange.server(), exchange.balancer()));
            return;
        }
        if (exchange.isClientFailed()) {
            int malformed = malformedRequestStatus(failure);
            if (malformed > 0 && !response.isCommitted()) {
                // The client's body broke its own framing: its fault (400), not the upstream's (502).
                LOG.debug("router {} service {}: {} {} (malformed request body: {})", exchange.router(), exchange.service(), malformed,
                        request.getRequestURI(), describe(failure));
                response.setStatus(malformed);
            } else {
                LOG.debug("router {} service {}: 499 {} (client closed the connection)", exchange.router(), exchange.service(),
                        request.getRequestURI());
            }
            super.onProxyResponseFailure(request, response, serverResponse, failure);
            return;
        }
        if (exchange.writer() instanceof ResponseWriter writer) {
            writer.finish(); // no timed flush may touch the answer being aborted (Jetty warns of a blocked flush)
        }
        int status = proxyResponseStatus(failure);
        exchange.originFailed(status == 504);
        // Once the answer has started, the client gets no status of ours but a cut connection: say so.
        Object outcome = response.isCommitted() ? "cut after " + response.getStatus() : status;
        LOG.warn("router {} service {} server {}: {} {} ({})", exchange.router(), exchange.service(), exchange.server(),
                outcome, request.getRequestURI(), describe(failure));
        super.onProxyResponseFailure(request, response, serverResponse, failure);
    }

    /** The main service of a failover answered a listed status: send the request to the fallback. */
    private void replayOnFallback(HttpServletRequest request, HttpServletResponse response, Exchange exchange, int status) {
        Replay replay = exchange.replay();
        HttpServletRequest again = replay.request(request);
        HttpService.Target target = replay.fallback().pick(again);
        LOG.debug("router {} service {}: main answered {}, replaying on {}", exchange.router(), exchange.service(), status,
                target == null ? "nothing (no server)" : target.server());
        sendAgain(request, again, response, exchange, target);
    }

    /** A retry middleware's try failed or got a listed status: try again, after its backoff, where the service picks. */
    private void retry(HttpServletRequest request, HttpServletResponse response, Exchange exchange, String why) {
        Retries retries = exchange.retries();
        Runnable retry = () -> {
            HttpServletRequest again = retries.request(request);
            HttpService.Target target = retries.retry(again);
            LOG.debug("router {} service {}: server {} {}, try {} on {}", exchange.router(), exchange.service(), exchange.server(),
                    why, retries.attempt(), target == null ? "nothing (no server)" : target.server());
            sendAgain(request, again, response, exchange, target);
        };
        long delay = retries.delayNanos();
        if (delay > 0) {
            exchange.balancer().settings().client().getScheduler().schedule(retry, delay, TimeUnit.NANOSECONDS);
        } else {
            retry.run();
        }
    }

    /**
     * Sends {@code again} (the request with its kept body) to {@code target}, replacing an upstream
     * answer that did not reach the client; 503 if there is no target.
     */
    void sendAgain(HttpServletRequest request, HttpServletRequest again, HttpServletResponse response, Exchange exchange,
            HttpService.Target target) {
        response.reset();
        if (target == null) {
            sendProxyResponseError(request, response, 503);
            return;
        }
        exchange.target(target.server(), target.balancer());
        try {
            Request proxyRequest = newProxyRequest(again, null);
            copyRequestHeaders(again, proxyRequest);
            if (hasContent(again)) {
                proxyRequest.body(proxyRequestContent(again, response, proxyRequest));
            }
            sendProxyRequest(again, response, proxyRequest);
        } catch (IOException e) {
            sendProxyResponseError(request, response, 502);
        }
    }

    /**
     * Aborts the client's connection, so that a truncated body cannot pass for a complete one (Jetty
     * does on {@code sendError(-1)}). The container may then never report the exchange's end to its
     * listeners, so the exchange ends here.
     */
    private static void cut(HttpServletRequest request, HttpServletResponse response) {
        try {
            response.sendError(-1);
        } catch (Exception ignored) {
            // the client is gone already
        }
        Exchange.of(request).cut();
    }


    /**
     * A plain-text error while nothing is committed; once the response has started, the client
     * connection is aborted so a truncated body cannot pass for a complete one.
     */
    @Override
    protected void sendProxyResponseError(HttpServletRequest request, HttpServletResponse response, int status) {
        try {
            if (!ShortAnswers.error(request, response, status)) {
                cut(request, response);
            }
        } catch (Exception e) {
            cut(request, response);
        } finally {
            if (request.isAsyncStarted()) {
                request.getAsyncContext().complete();
            }
        }
    }
}
