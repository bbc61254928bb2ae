package dev.sluice.proxy.observe.tracing;

import dev.sluice.proxy.config.TracingConfig;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporterBuilder;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** {@code [tracing.otlp]} as the SDK's OTLP exporter: HTTP/protobuf, or gRPC. */
final class SpanExporters {
    private SpanExporters() {}

    static SpanExporter of(TracingConfig.Otlp otlp) {
        return otlp.http() != null ? http(otlp.http()) : grpc(otlp.grpc());
    }

    private static SpanExporter http(TracingConfig.Http http) {
        OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder().setEndpoint(withTracesPath(http.endpoint()));
        http.headers().forEach(builder::addHeader);
        TracingConfig.ClientTls tls = http.tls();
        if (tls != null) {
            if (tls.insecureSkipVerify()) {
                builder.setSslContext(trustAll(), TRUST_ALL);
            } else {
                if (tls.ca() != null) {
                    builder.setTrustedCertificates(read(tls.ca()));
                }
                if (tls.cert() != null) {
                    builder.setClientTls(read(tls.key()), read(tls.cert()));
                }
            }
        }
        return builder.build();
    }

    private static SpanExporter grpc(TracingConfig.Grpc grpc) {
        OtlpGrpcSpanExporterBuilder builder = OtlpGrpcSpanExporter.builder()
                .setEndpoint((grpc.insecure() ? "http://" : "https://") + grpc.endpoint());
        grpc.headers().forEach(builder::addHeader);
        TracingConfig.ClientTls tls = grpc.tls();
        if (tls != null && !grpc.insecure()) {
            if (tls.insecureSkipVerify()) {
                builder.setSslContext(trustAll(), TRUST_ALL);
            } else {
                if (tls.ca() != null) {
                    builder.setTrustedCertificates(read(tls.ca()));
                }
                if (tls.cert() != null) {
                    builder.setClientTls(read(tls.key()), read(tls.cert()));
                }
            }
        }
        return builder.build();
    }

    /** An endpoint without a path gets OTLP's {@code /v1/traces}, as a collector's base URL often is given. */
    static String withTracesPath(String endpoint) {
        String path = URI.create(endpoint).getRawPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            return endpoint.replaceAll("/+$", "") + "/v1/traces";
        }
        return endpoint;
    }

    private static byte[] read(String file) {
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException("tracing: cannot read " + file, e);
        }
    }

    /** {@code insecureSkipVerify}: any certificate passes (for a collector with a self-signed one). */
    private static final X509TrustManager TRUST_ALL = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    private static SSLContext trustAll() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {TRUST_ALL}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
