package dev.sluice.proxy.observe.tracing;

import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.config.TracingConfig;
import dev.sluice.proxy.observe.ExchangeObserver;
import dev.sluice.proxy.service.Exchange;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.concurrent.TimeUnit;

/**
 * {@code [tracing]}: one server span per exchange, begun when the exchange begins (as a child of the
 * client's {@code traceparent}) and ended when it is over, however it ended; a client span per upstream
 * attempt ({@link ServerSpan#attempt}). Spans go to a {@link BatchSpanProcessor}: a bounded queue
 * exported by its own thread, so a request never waits for the collector, and a full queue drops spans.
 *
 * <pre>
 * ExchangeTracing tracing = ExchangeTracing.create(config.tracing());
 * runtime.observers().add(tracing);
 * tracing.close();   // at shutdown: exports what is queued
 * </pre>
 *
 * <p>Sampling is Traefik's: parent-based, a trace Sluice starts kept with probability {@code sampleRate}
 * (by its trace id), a caller's decision followed. The settings are read once, at start.
 */
public final class ExchangeTracing implements ExchangeObserver, AutoCloseable {
    private static final TextMapGetter<HttpServletRequest> REQUEST_HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpServletRequest request) {
            return Collections.list(request.getHeaderNames());
        }

        @Override
        public String get(HttpServletRequest request, String key) {
            return request == null ? null : request.getHeader(key);
        }
    };

    private final TracingConfig config;
    private final SdkTracerProvider provider;
    private final Tracer tracer;
    private final SpanFacts facts;

    private ExchangeTracing(TracingConfig config) {
        this.config = config;
        AttributesBuilder resource = Attributes.builder().put(AttributeKey.stringKey("service.name"), config.serviceName());
        config.allResourceAttributes().forEach((name, value) -> resource.put(AttributeKey.stringKey(name), value));
        this.provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(resource.build())))
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.sampleRate())))
                .addSpanProcessor(BatchSpanProcessor.builder(SpanExporters.of(config.otlp())).build())
                .build();
        this.tracer = provider.get("dev.sluice.proxy");
        this.facts = new SpanFacts(config);
    }

    /** The tracing {@code config} asks for, or null without {@code [tracing]}. */
    public static ExchangeTracing create(TracingConfig config) {
        return config == null ? null : new ExchangeTracing(config);
    }

    @Override
    public void began(Exchange exchange) {
        HttpServletRequest request = exchange.containerRequest();
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), request, REQUEST_HEADERS);
        exchange.trace(ServerSpan.start(tracer, parent, facts, exchange));
    }

    @Override
    public void ended(Exchange exchange) {
        if (exchange.trace() instanceof ServerSpan span) {
            String service = exchange.service();
            // An internal service's span is left unended: never exported, as if it was never sampled.
            if (config.addInternals() || service == null || !service.endsWith("@internal")) {
                span.end(exchange);
            }
        }
    }

    /** Exports the spans ended so far, waiting up to {@code seconds}; true if that worked. */
    public boolean flush(long seconds) {
        return provider.forceFlush().join(seconds, TimeUnit.SECONDS).isSuccess();
    }

    /** The settings in force (those at start). */
    public TracingConfig config() {
        return config;
    }

    /** True if {@code next} asks for other tracing settings than those in force, which a restart applies. */
    public boolean differs(SluiceConfig next) {
        return !config.equals(next.tracing());
    }

    /** Exports what is queued (up to 10 s), then stops the exporter. */
    @Override
    public void close() {
        provider.shutdown().join(10, TimeUnit.SECONDS);
    }
}
