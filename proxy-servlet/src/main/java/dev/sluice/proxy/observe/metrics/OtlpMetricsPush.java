package dev.sluice.proxy.observe.metrics;

import dev.sluice.proxy.config.OtlpMetricsConfig;
import dev.sluice.proxy.observe.OtlpClientTls;
import dev.sluice.proxy.observe.OtlpEndpoint;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporterBuilder;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.TimeUnit;

/**
 * {@code [metrics.otlp]}: the SDK's periodic reader pushes the registry (read through
 * {@link RegistryMetricProducer}) every {@code pushInterval} on its own thread, over OTLP/HTTP
 * (protobuf) or gRPC. Requests never wait for it; {@link #close()} pushes once more, then stops.
 */
final class OtlpMetricsPush implements AutoCloseable {
    private final SdkMeterProvider provider;

    OtlpMetricsPush(OtlpMetricsConfig config, PrometheusRegistry registry, Runnable beforeRead) {
        AttributesBuilder attributes = io.opentelemetry.api.common.Attributes.builder();
        config.resourceAttributes().forEach(attributes::put);
        attributes.put(AttributeKey.stringKey("service.name"), config.serviceName());
        Resource resource = Resource.getDefault().merge(Resource.create(attributes.build()));
        this.provider = SdkMeterProvider.builder()
                .setResource(resource)
                .registerMetricProducer(new RegistryMetricProducer(registry, beforeRead))
                .registerMetricReader(PeriodicMetricReader.builder(exporter(config)).setInterval(config.pushInterval()).build())
                .build();
    }

    private static MetricExporter exporter(OtlpMetricsConfig config) {
        OtlpMetricsConfig.Http http = config.httpOrDefault();
        if (http != null) {
            OtlpHttpMetricExporterBuilder builder = OtlpHttpMetricExporter.builder().setEndpoint(OtlpEndpoint.withSignalPath(http.endpoint(), "/v1/metrics"));
            http.headers().forEach(builder::addHeader);
            OtlpClientTls.apply(http.tls(), "metrics.otlp.http.tls", builder::setSslContext, builder::setTrustedCertificates, builder::setClientTls);
            return builder.build();
        }
        OtlpMetricsConfig.Grpc grpc = config.grpc();
        OtlpGrpcMetricExporterBuilder builder = OtlpGrpcMetricExporter.builder()
                .setEndpoint((grpc.insecure() ? "http://" : "https://") + grpc.endpoint());
        grpc.headers().forEach(builder::addHeader);
        if (!grpc.insecure()) {
            OtlpClientTls.apply(grpc.tls(), "metrics.otlp.grpc.tls", builder::setSslContext, builder::setTrustedCertificates, builder::setClientTls);
        }
        return builder.build();
    }

    /** Pushes now and waits up to {@code seconds} for the collector's answer (tests, shutdown). */
    boolean flush(long seconds) {
        return provider.forceFlush().join(seconds, TimeUnit.SECONDS).isSuccess();
    }

    /** Pushes what was counted since the last push, then stops the reader's thread. */
    @Override
    public void close() {
        provider.shutdown().join(10, TimeUnit.SECONDS);
    }
}
