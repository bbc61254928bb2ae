package dev.sluice.proxy.observe.tracing;

import dev.sluice.proxy.config.TracingConfig;
import dev.sluice.proxy.observe.OtlpClientTls;
import dev.sluice.proxy.observe.OtlpEndpoint;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporterBuilder;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/** {@code [tracing.otlp]} as the SDK's OTLP exporter: HTTP/protobuf, or gRPC. */
final class SpanExporters {
    private SpanExporters() {}

    static SpanExporter of(TracingConfig.Otlp otlp) {
        return otlp.http() != null ? http(otlp.http()) : grpc(otlp.grpc());
    }

    private static SpanExporter http(TracingConfig.Http http) {
        OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder().setEndpoint(OtlpEndpoint.withSignalPath(http.endpoint(), "/v1/traces"));
        http.headers().forEach(builder::addHeader);
        OtlpClientTls.apply(http.tls(), "tracing.otlp.http.tls", builder::setSslContext, builder::setTrustedCertificates,
                builder::setClientTls);
        return builder.build();
    }

    private static SpanExporter grpc(TracingConfig.Grpc grpc) {
        OtlpGrpcSpanExporterBuilder builder = OtlpGrpcSpanExporter.builder()
                .setEndpoint((grpc.insecure() ? "http://" : "https://") + grpc.endpoint());
        grpc.headers().forEach(builder::addHeader);
        if (!grpc.insecure()) {
            OtlpClientTls.apply(grpc.tls(), "tracing.otlp.grpc.tls", builder::setSslContext, builder::setTrustedCertificates,
                    builder::setClientTls);
        }
        return builder.build();
    }
}
