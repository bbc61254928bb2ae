package dev.sluice.proxy.observe.tracing;

import dev.sluice.proxy.observe.ExchangeTrace;
import dev.sluice.proxy.service.Exchange;
import dev.sluice.proxy.service.Server;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * The server span of one exchange: started when it begins, ended when it is over (answered,
 * proxied, aborted, timed out), status error on a 5xx. Each upstream attempt is a client span under
 * it, numbered by {@code http.request.resend_count} when it is a retry; the upstream sees the
 * attempt's span as its parent. A span that is not sampled records nothing but still carries the
 * trace's context upstream.
 */
final class ServerSpan implements ExchangeTrace {
    private final Tracer tracer;
    private final SpanFacts facts;
    private final Span span;
    private final Context context;
    private final AtomicInteger attempts = new AtomicInteger();

    private ServerSpan(Tracer tracer, SpanFacts facts, Span span, Context context) {
        this.tracer = tracer;
        this.facts = facts;
        this.span = span;
        this.context = context;
    }

    static ServerSpan start(Tracer tracer, Context parent, SpanFacts facts, Exchange exchange) {
        var request = exchange.containerRequest();
        // Renamed with the router once it is known (the sampler has decided by then: the name does not change that).
        Span span = tracer.spanBuilder(request.getMethod()).setParent(parent).setSpanKind(SpanKind.SERVER).startSpan();
        if (span.isRecording()) {
            facts.request(span, request, exchange.entryPoint());
        }
        return new ServerSpan(tracer, facts, span, parent.with(span));
    }

    @Override
    public Attempt attempt(String method, String serverUrl) {
        int resend = attempts.getAndIncrement();
        Span client = tracer.spanBuilder(method).setParent(context).setSpanKind(SpanKind.CLIENT).startSpan();
        if (client.isRecording()) {
            client.setAttribute(SpanFacts.METHOD, method);
            client.setAttribute(SpanFacts.FULL, serverUrl);
            try {
                URI uri = URI.create(serverUrl);
                if (uri.getHost() != null) {
                    client.setAttribute(SpanFacts.SERVER_ADDRESS, uri.getHost());
                    client.setAttribute(SpanFacts.SERVER_PORT, (long) (uri.getPort() > 0 ? uri.getPort()
                            : "https".equals(uri.getScheme()) ? 443 : 80));
                }
            } catch (IllegalArgumentException notAUri) {
                // unix: upstreams and the like: url.full says it all
            }
            if (resend > 0) {
                client.setAttribute(SpanFacts.RESEND_COUNT, (long) resend);
            }
        }
        return new ClientAttempt(client, context.with(client));
    }

    /** The exchange is over: what it became, then the end (exported from here, off this thread). */
    void end(Exchange exchange) {
        if (span.isRecording()) {
            String router = exchange.router();
            if (router != null) {
                span.updateName(exchange.containerRequest().getMethod() + " " + router);
                span.setAttribute(SpanFacts.ROUTER, router);
            }
            if (exchange.service() != null) {
                span.setAttribute(SpanFacts.SERVICE, exchange.service());
            }
            Server server = exchange.server();
            if (server != null) {
                span.setAttribute(SpanFacts.SERVER_URL, server.url());
            }
            int status = exchange.status();
            span.setAttribute(SpanFacts.STATUS, (long) status);
            span.setAttribute(SpanFacts.REQUEST_BODY, exchange.bytesIn());
            span.setAttribute(SpanFacts.RESPONSE_BODY, exchange.bytesOut());
            Exchange.Outcome outcome = exchange.outcome();
            span.setAttribute(SpanFacts.OUTCOME, outcome.name().toLowerCase(Locale.ROOT));
            facts.response(span, exchange.response());
            if (status >= 500) {
                span.setStatus(StatusCode.ERROR);
                span.setAttribute(SpanFacts.ERROR_TYPE, Integer.toString(status));
            } else if (outcome == Exchange.Outcome.CLIENT_ABORTED) {
                span.setAttribute(SpanFacts.ERROR_TYPE, "client_aborted"); // not the server's fault: no error status
            }
        }
        span.end();
    }

    private static final class ClientAttempt implements Attempt {
        private final Span span;
        private final Context context;

        ClientAttempt(Span span, Context context) {
            this.span = span;
            this.context = context;
        }

        @Override
        public void headers(BiConsumer<String, String> put) {
            W3CTraceContextPropagator.getInstance().inject(context, put, BiConsumer::accept);
        }

        @Override
        public void ended(int status, Throwable failure) {
            if (span.isRecording()) {
                if (status > 0) {
                    span.setAttribute(SpanFacts.STATUS, (long) status);
                }
                if (failure != null) {
                    span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
                    span.setAttribute(SpanFacts.ERROR_TYPE, failure.getClass().getName());
                } else if (status >= 400) {
                    span.setStatus(StatusCode.ERROR); // a client span's error per the conventions: 4xx too
                    span.setAttribute(SpanFacts.ERROR_TYPE, Integer.toString(status));
                }
            }
            span.end();
        }
    }
}
