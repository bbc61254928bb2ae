package dev.sluice.proxy.servlet;

import dev.sluice.proxy.observe.ExchangeTrace;
import dev.sluice.proxy.service.Exchange;
import dev.sluice.proxy.service.HttpService;
import dev.sluice.proxy.service.LoadBalancer;
import dev.sluice.proxy.service.Replay;
import dev.sluice.proxy.service.Retries;
import dev.sluice.proxy.service.Server;
import dev.sluice.proxy.transport.LeanUpstream;
import dev.sluice.proxy.transport.UpstreamCall;
import dev.sluice.proxy.transport.UpstreamTransport;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One try of a proxied request over the lean engine ({@link LeanUpstream}): what
 * {@link SluiceProxyServlet} does through Jetty's client, done on an {@link UpstreamCall}. Client→proxy
 * and proxy→server: the body is read with a {@link ReadListener} and written upstream one chunk at a
 * time, the next read only after the write completed. Server→proxy and proxy→client: the answer's
 * head is copied onto the servlet response, its body goes through {@link ResponseWriter} on the thread
 * that parsed it, and the upstream is read again only once the chunk is written.
 *
 * <p>Same decisions as the servlet's Jetty path (kept in step with it): hop-by-hop headers,
 * {@code X-Forwarded-*}, {@code passHostHeader}, trailers both ways, 100-continue (the body is read,
 * and so the client's 100 sent, only once the upstream said 100), the response-header timeout, a
 * failover's replay and a retry middleware's tries, 502/504.
 */
final class LeanForward implements UpstreamCall.Handler, ReadListener {
    private static final Logger LOG = LoggerFactory.getLogger(LeanForward.class);
    private static final UpstreamTransport.Engine ENGINE = UpstreamTransport.Engine.configured();
    private static final int BODY_CHUNK = 32 * 1024;

    private final SluiceProxyServlet servlet;
    private final HttpServletRequest clientRequest;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final Exchange exchange;
    private final Server server;
    private final LoadBalancer balancer;
    private final LoadBalancer.Settings settings;
    private final ExchangeTrace.Attempt attempt;
    private final boolean hasBody;
    private final boolean expectsContinue;
    private final AtomicBoolean bodyStarted = new AtomicBoolean();
    private final BodyPump pump = new BodyPump();
    private volatile boolean allRead;
    private final long sentNanos = System.nanoTime();
    private volatile UpstreamCall call;
    private ServletInputStream input;
    private byte[] chunk;
    private volatile Scheduler.Task headerTimer;
    private volatile int status;
    private volatile HttpFields upstreamTrailers;
    private HttpFields answerFields;

    private LeanForward(SluiceProxyServlet servlet, HttpServletRequest clientRequest, HttpServletRequest request,
            HttpServletResponse response, Exchange exchange) {
        this.servlet = servlet;
        this.clientRequest = clientRequest;
        this.request = request;
        this.response = response;
        this.exchange = exchange;
        this.server = exchange.server();
        this.balancer = exchange.balancer();
        this.settings = balancer.settings();
        this.attempt = exchange.trace().attempt(request.getMethod(), server.url());
        long length = request.getContentLengthLong();
        this.hasBody = length > 0 || request.getHeader("Transfer-Encoding") != null;
        String expect = request.getHeader("Expect");
        this.expectsContinue = hasBody && expect != null && expect.equalsIgnoreCase("100-continue");
    }

    /** True when the lean engine is on and carries this exchange's upstream: plain HTTP/1.1, no protocol upgrade. */
    static boolean covers(Exchange exchange, HttpServletRequest request) {
        Server server = exchange.server();
        return ENGINE == UpstreamTransport.Engine.LEAN && !server.h2c() && "http".equals(server.origin().getScheme())
                && request.getHeader("Upgrade") == null && LeanUpstream.of(exchange.balancer().settings().client()) != null;
    }

    /** Proxies the exchange's first try; the container's dispatch may return at once. */
    static void start(SluiceProxyServlet servlet, HttpServletRequest request, HttpServletResponse response, Exchange exchange) {
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        new LeanForward(servlet, request, request, response, exchange).send();
    }

    /** Sends {@code again} (a retry or a failover's replay) to the exchange's newly chosen server. */
    static void sendAgain(SluiceProxyServlet servlet, HttpServletRequest clientRequest, HttpServletRequest again,
            HttpServletResponse response, Exchange exchange) {
        new LeanForward(servlet, clientRequest, again, response, exchange).send();
    }

    private void send() {
        HttpFields.Mutable headers = requestHeaders();
        String target = UpstreamAnswers.upstreamPath(server, request);
        long length = request.getContentLengthLong();
        MetaData.Request head = new MetaData.Request(request.getMethod(), HttpURI.build().pathQuery(target), HttpVersion.HTTP_1_1,
                headers, hasBody ? length : -1, hasBody && length < 0 ? () -> UpstreamAnswers.trailers(request.getTrailerFields()) : null);
        server.started();
        exchange.originStarted();
        URIPort origin = URIPort.of(server);
        call = LeanUpstream.of(settings.client()).newCall(origin.host, origin.port, head, hasBody, this);
        call.send();
    }

    private HttpFields.Mutable requestHeaders() {
        HttpFields.Mutable headers = HttpFields.build();
        UpstreamRequestHeaders.copy(request, headers, false); // the length goes in the head; the generator writes it
        String te = request.getHeader("TE");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("trailers")) {
            headers.put(HttpHeader.TE, "trailers");
        }
        headers.put(HttpHeader.HOST, settings.passHostHeader() ? ForwardedHeaders.hostOf(request) : server.hostHeader());
        ForwardedHeaders.addTo(headers, request);
        attempt.headers(headers::put);
        return headers;
    }

    // --- proxy→server: the request body ---

    @Override
    public void onCommitted() {
        Retries retries = exchange.retries();
        if (retries != null) {
            retries.sent();
        }
        if (hasBody && !expectsContinue) {
            startBody();
        }
    }

    @Override
    public void onInterim(int status) {
        if (status == 100 && expectsContinue) {
            startBody();
        }
    }

    private void startBody() {
        if (!bodyStarted.compareAndSet(false, true)) {
            return;
        }
        try {
            input = request.getInputStream();
            chunk = new byte[BODY_CHUNK];
            input.setReadListener(this);
        } catch (IOException | RuntimeException e) {
            call.abort(e);
        }
    }

    @Override
    public void onDataAvailable() {
        pump.iterate();
    }

    @Override
    public void onAllDataRead() {
        allRead = true;
        pump.iterate();
    }

    /**
     * Client→proxy→server, one chunk in flight: reads while the input is ready, writes what it read
     * and waits for the write. One thread at a time (the container's {@code onDataAvailable} and a
     * write completing may race; a replayed body calls its listener from within {@code read}).
     */
    private final class BodyPump extends IteratingCallback {
        private boolean lastSent;

        @Override
        protected Action process() throws IOException {
            if (lastSent) {
                return Action.IDLE;
            }
            while (input.isReady()) {
                int n = input.read(chunk);
                if (n < 0) {
                    break; // onAllDataRead: from the container later, or a replayed body's read just now
                }
                if (n > 0) {
                    call.write(ByteBuffer.wrap(chunk, 0, n), false, this);
                    return Action.SCHEDULED;
                }
            }
            if (allRead) {
                lastSent = true;
                call.write(BufferUtil.EMPTY_BUFFER, true, this);
                return Action.SCHEDULED;
            }
            return Action.IDLE;
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            call.abort(cause);
        }
    }

    /** Reading the client's body failed: the client went away. */
    @Override
    public void onError(Throwable failure) {
        exchange.clientFailed();
        call.abort(failure);
    }

    // --- server→proxy→client: the answer ---

    @Override
    public void onRequestSent() {
        long millis = settings.responseHeaderTimeoutMillis();
        if (millis > 0) {
            cancelTimer();
            headerTimer = settings.client().getScheduler().schedule(
                    () -> call.abort(new TimeoutException("no response headers within " + millis + " ms")), millis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void onHeaders(MetaData.Response answer) {
        cancelTimer();
        status = answer.getStatus();
        exchange.originAnswered(status);
        if (balancer.measuresResponseTime()) {
            server.recordResponseTime((System.nanoTime() - sentNanos) / 1e6);
        }
        Replay replay = exchange.replay();
        if (replay != null && replay.claim(status)) {
            call.abort(new SendAgain(status, true)); // nothing of this answer reaches the client
            return;
        }
        Retries retries = exchange.retries();
        if (retries != null && retries.claimStatus(status)) {
            call.abort(new SendAgain(status, false));
            return;
        }
        response.setStatus(status);
        HttpFields fields = answer.getHttpFields();
        answerFields = fields;
        UpstreamAnswers.copyHeaders(fields, response);
        if (UpstreamAnswers.announcesTrailers(fields)) {
            try {
                response.setTrailerFields(() -> UpstreamAnswers.trailers(upstreamTrailers));
            } catch (IllegalStateException e) {
                LOG.debug("trailers not forwarded to client", e); // HTTP/1.0 client or fixed-length response
            }
        }
    }

    @Override
    public void onContent(ByteBuffer content, Callback done) {
        try {
            ResponseWriter writer = (ResponseWriter) exchange.writer();
            if (writer == null) {
                writer = new ResponseWriter(response.getOutputStream(), x -> call.abort(x), exchange, settings.flushIntervalNanos(),
                        UpstreamAnswers.streamedLength(answerFields), settings.client().getScheduler());
                exchange.writer(writer);
                // Queue the chunk before registering: the container may call onWritePossible at once, on another thread.
                writer.write(content.array(), content.arrayOffset() + content.position(), content.remaining(), done);
                response.getOutputStream().setWriteListener(writer);
            } else {
                writer.write(content.array(), content.arrayOffset() + content.position(), content.remaining(), done);
                writer.onWritePossible();
            }
        } catch (Throwable x) {
            exchange.clientFailed();
            done.failed(x);
        }
    }

    @Override
    public void onComplete(HttpFields trailers) {
        cancelTimer();
        upstreamTrailers = trailers;
        ended(status, null);
        exchange.originEnded();
        if (exchange.writer() instanceof ResponseWriter writer) {
            writer.finish();
        }
        clientRequest.getAsyncContext().complete();
    }

    @Override
    public void onFailure(Throwable failure) {
        cancelTimer();
        ended(failure instanceof SendAgain again ? again.status : 0, failure);
        if (failure instanceof SendAgain again) {
            if (again.onFallback) {
                replayOnFallback(again.status);
            } else {
                retry("answered " + again.status);
            }
            return;
        }
        Retries retries = exchange.retries();
        if (retries != null && !exchange.isClientFailed() && !response.isCommitted() && exchange.writer() == null
                && retries.claimFailed(servlet.proxyResponseStatus(failure))) {
            retry(UpstreamAnswers.describe(failure));
            return;
        }
        if (exchange.isClientFailed()) {
            LOG.debug("router {} service {}: 499 {} (client closed the connection)", exchange.router(), exchange.service(),
                    clientRequest.getRequestURI());
            try {
                servlet.sendProxyResponseError(clientRequest, response, 502);
            } finally {
                exchange.cut(); // the container may never report the end of an aborted exchange (idempotent)
            }
            return;
        }
        int answer = servlet.proxyResponseStatus(failure);
        exchange.originFailed(answer == 504);
        LOG.warn("router {} service {} server {}: {} {} ({})", exchange.router(), exchange.service(), server, answer,
                clientRequest.getRequestURI(), UpstreamAnswers.describe(failure));
        servlet.sendProxyResponseError(clientRequest, response, answer);
    }

    /** The try is over: the server's in-flight count, passive health, the trace's attempt. */
    private void ended(int answered, Throwable failure) {
        server.finished();
        boolean failed = failure != null && !(failure instanceof SendAgain);
        balancer.recordOutcome(server, (failed && !exchange.isClientFailed()) || answered >= 500);
        attempt.ended(answered, failure instanceof SendAgain ? null : failure);
    }

    private void cancelTimer() {
        Scheduler.Task task = headerTimer;
        if (task != null) {
            task.cancel();
        }
    }

    private void replayOnFallback(int answered) {
        Replay replay = exchange.replay();
        HttpServletRequest again = replay.request(clientRequest);
        HttpService.Target target = replay.fallback().pick(again);
        LOG.debug("router {} service {}: main answered {}, replaying on {}", exchange.router(), exchange.service(), answered,
                target == null ? "nothing (no server)" : target.server());
        next(again, target);
    }

    private void retry(String why) {
        Retries retries = exchange.retries();
        Runnable retry = () -> {
            HttpServletRequest again = retries.request(clientRequest);
            HttpService.Target target = retries.retry(again);
            LOG.debug("router {} service {}: server {} {}, try {} on {}", exchange.router(), exchange.service(), server, why,
                    retries.attempt(), target == null ? "nothing (no server)" : target.server());
            next(again, target);
        };
        long delay = retries.delayNanos();
        if (delay > 0) {
            settings.client().getScheduler().schedule(retry, delay, TimeUnit.NANOSECONDS);
        } else {
            retry.run();
        }
    }

    /** The next try, on whichever engine carries the new target. */
    private void next(HttpServletRequest again, HttpService.Target target) {
        response.reset();
        if (target == null) {
            servlet.sendProxyResponseError(clientRequest, response, 503);
            return;
        }
        exchange.target(target.server(), target.balancer());
        if (covers(exchange, again)) {
            sendAgain(servlet, clientRequest, again, response, exchange);
        } else {
            servlet.sendAgain(clientRequest, again, response, exchange, target); // h2c or TLS: Jetty's client
        }
    }


    /** Host and port to dial for a server. */
    private record URIPort(String host, int port) {
        static URIPort of(Server server) {
            java.net.URI origin = server.origin();
            String host = origin.getHost();
            if (host.startsWith("[")) {
                host = host.substring(1, host.length() - 1); // an IPv6 literal, dialled without its brackets
            }
            return new URIPort(host, origin.getPort() > 0 ? origin.getPort() : 80);
        }
    }
}
