package dev.sluice.proxy.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code [metrics.otlp]}: Traefik's OpenTelemetry metrics, pushed every {@code pushInterval} over
 * OTLP (HTTP/protobuf by default, or gRPC), as Pingap's push mode. The families are the same ones
 * {@code [metrics.prometheus]} serves (one registry); with both sections, the Prometheus section's
 * label options and buckets decide the families, and these label options and
 * {@code explicitBoundaries} apply only when {@code [metrics.prometheus]} is absent.
 *
 * <pre>
 * [metrics.otlp]
 * pushInterval = "10s"
 * serviceName = "edge"
 * [metrics.otlp.http]
 * endpoint = "http://collector:4318/v1/metrics"
 * headers = { Authorization = "Bearer token" }
 * </pre>
 *
 * @param addEntryPointsLabels the {@code entrypoint_*} families; default true
 * @param addRoutersLabels the {@code router_*} families; default false
 * @param addServicesLabels the {@code service_*} families; default true
 * @param explicitBoundaries upper bounds, in seconds, of the request duration histograms;
 *     Traefik's {@code [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]} by default
 * @param pushInterval how often the metrics are pushed; 10s by default
 * @param serviceName the {@code service.name} resource attribute; {@code sluice} by default (Traefik's is {@code traefik})
 * @param resourceAttributes more resource attributes, name to value
 * @param http OTLP/HTTP; the default transport when neither {@code http} nor {@code grpc} is given
 * @param grpc OTLP over gRPC; {@code http} wins when both are given (with a warning)
 */
public record OtlpMetricsConfig(Boolean addEntryPointsLabels, Boolean addRoutersLabels, Boolean addServicesLabels,
        List<Double> explicitBoundaries, Duration pushInterval, String serviceName, Map<String, String> resourceAttributes, Http http,
        Grpc grpc) {
    /** Traefik's default boundaries for OTLP. */
    public static final List<Double> DEFAULT_BOUNDARIES = List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0,
            7.5, 10.0);
    public static final Duration DEFAULT_PUSH_INTERVAL = Duration.ofSeconds(10);
    public static final String DEFAULT_SERVICE_NAME = "sluice";

    public OtlpMetricsConfig {
        addEntryPointsLabels = addEntryPointsLabels == null || addEntryPointsLabels;
        addRoutersLabels = addRoutersLabels != null && addRoutersLabels;
        addServicesLabels = addServicesLabels == null || addServicesLabels;
        explicitBoundaries = Frozen.list(explicitBoundaries, DEFAULT_BOUNDARIES);
        pushInterval = pushInterval == null ? DEFAULT_PUSH_INTERVAL : pushInterval;
        serviceName = serviceName == null || serviceName.isEmpty() ? DEFAULT_SERVICE_NAME : serviceName;
        resourceAttributes = Frozen.map(resourceAttributes);
    }

    /** The transport in force: {@code http}, {@code grpc}, or the default HTTP endpoint when neither is given. */
    public Http httpOrDefault() {
        return http == null && grpc == null ? new Http(null, null, null) : http;
    }

    /** The families these options ask for, as {@code [metrics.prometheus]} would define them (used without that section). */
    public PrometheusConfig families() {
        return new PrometheusConfig(explicitBoundaries, addEntryPointsLabels, addRoutersLabels, addServicesLabels, null, null, null, null);
    }

    /**
     * {@code [metrics.otlp.http]}: OTLP/HTTP with protobuf bodies.
     *
     * @param endpoint the full URL the metrics are POSTed to; {@code http://localhost:4318/v1/metrics} by default,
     *     {@code /v1/metrics} appended when it has no path
     * @param headers sent with every export (an authorization token, say)
     * @param tls the collector's CA, a client certificate, or {@code insecureSkipVerify}, for an https endpoint
     */
    public record Http(String endpoint, Map<String, String> headers, TracingConfig.ClientTls tls) {
        public static final String DEFAULT_ENDPOINT = "http://localhost:4318/v1/metrics";

        public Http {
            endpoint = endpoint == null || endpoint.isEmpty() ? DEFAULT_ENDPOINT : endpoint;
            headers = Frozen.map(headers);
        }
    }

    /**
     * {@code [metrics.otlp.grpc]}: OTLP over gRPC.
     *
     * @param endpoint {@code host:port} of the collector; {@code localhost:4317} by default
     * @param insecure plaintext (h2c) instead of TLS; default false, as Traefik
     * @param headers sent as gRPC metadata with every export
     * @param tls the collector's CA or a client certificate
     */
    public record Grpc(String endpoint, Boolean insecure, Map<String, String> headers, TracingConfig.ClientTls tls) {
        public static final String DEFAULT_ENDPOINT = "localhost:4317";

        public Grpc {
            endpoint = endpoint == null || endpoint.isEmpty() ? DEFAULT_ENDPOINT : endpoint;
            insecure = insecure != null && insecure;
            headers = Frozen.map(headers);
        }
    }
}
