package dev.sluice.proxy.config;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks {@code [metrics.prometheus]} and {@code [metrics.otlp]}: what the Prometheus client would refuse at start (a bad
 * name, buckets out of order) is a configuration error with its key path instead.
 */
final class MetricsValidator {
    /** Prometheus's rule for metric and label names, without the colons reserved for recording rules. */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern HEADER = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** The labels the request families have already. */
    static final Set<String> FIXED_LABELS = Set.of("code", "method", "protocol", "entrypoint", "router", "service");

    private MetricsValidator() {}

    static void validate(SluiceConfig config, Problems problems) {
        otlp(config.metrics().otlp(), problems);
        PrometheusConfig prometheus = config.metrics().prometheus();
        if (prometheus == null) {
            return;
        }
        String path = "metrics.prometheus";
        buckets(path + ".buckets", prometheus.buckets(), problems);
        if (!NAME.matcher(prometheus.prefix()).matches()) {
            problems.add(path + ".prefix", "\"" + prometheus.prefix() + "\" is not a metric name prefix (letters, digits and _, not"
                    + " starting with a digit)");
        }
        for (Map.Entry<String, String> label : prometheus.headerLabels().entrySet()) {
            String at = path + ".headerLabels." + label.getKey();
            if (!NAME.matcher(label.getKey()).matches() || label.getKey().startsWith("__")) {
                problems.add(at, "\"" + label.getKey() + "\" is not a label name (letters, digits and _, not starting with a digit or __)");
            } else if (FIXED_LABELS.contains(label.getKey())) {
                problems.add(at, "\"" + label.getKey() + "\" is a label of the request metrics already; choose another name");
            }
            if (label.getValue() == null || !HEADER.matcher(label.getValue()).matches()) {
                problems.add(at, "\"" + label.getValue() + "\" is not a header name");
            }
        }
        String entryPoint = prometheus.entryPoint();
        // The implicit traefik entry point exists whenever something needs it (127.0.0.1:8080).
        if (!prometheus.manualRouting() && !entryPoint.equals(PrometheusConfig.DEFAULT_ENTRY_POINT)
                && !config.entryPoints().containsKey(entryPoint)) {
            problems.add(path + ".entryPoint", "unknown entry point \"" + entryPoint + "\""
                    + Suggestions.didYouMean(entryPoint, config.entryPoints().keySet()));
        }
    }

    /** {@code [metrics.otlp]}: what the OpenTelemetry SDK would refuse at start. */
    private static void otlp(OtlpMetricsConfig otlp, Problems problems) {
        if (otlp == null) {
            return;
        }
        String path = "metrics.otlp";
        buckets(path + ".explicitBoundaries", otlp.explicitBoundaries(), problems);
        if (otlp.pushInterval().isNegative() || otlp.pushInterval().isZero()) {
            problems.add(path + ".pushInterval", "must be positive, got " + Durations.format(otlp.pushInterval()));
        }
        OtlpMetricsConfig.Http http = otlp.http();
        if (http != null) {
            String at = path + ".http";
            java.net.URI uri = null;
            try {
                uri = java.net.URI.create(http.endpoint());
            } catch (IllegalArgumentException e) {
                // reported below
            }
            if (uri == null || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                problems.add(at + ".endpoint", "\"" + http.endpoint() + "\" is not an http(s) URL, e.g. http://localhost:4318/v1/metrics");
            }
            TracingValidator.headers(at + ".headers", http.headers(), problems);
            TracingValidator.tls(at + ".tls", http.tls(), problems);
        }
        OtlpMetricsConfig.Grpc grpc = otlp.grpc();
        if (grpc != null) {
            String at = path + ".grpc";
            if (!TracingValidator.HOST_PORT.matcher(grpc.endpoint()).matches()) {
                problems.add(at + ".endpoint", "\"" + grpc.endpoint() + "\" is not host:port, e.g. localhost:4317");
            }
            TracingValidator.headers(at + ".headers", grpc.headers(), problems);
            TracingValidator.tls(at + ".tls", grpc.tls(), problems);
        }
    }

    private static void buckets(String path, List<Double> buckets, Problems problems) {
        if (buckets.isEmpty()) {
            problems.add(path, "at least one bucket, e.g. [0.1, 0.3, 1.2, 5.0]");
            return;
        }
        for (int i = 0; i < buckets.size(); i++) {
            Double bound = buckets.get(i);
            if (bound == null || bound.isNaN() || bound.isInfinite()) {
                problems.add(path + "[" + i + "]", "must be a finite number of seconds, got " + bound);
                return;
            }
            // The same bound twice is harmless (a warning, once is kept); decreasing ones are a mistake.
            if (i > 0 && bound < buckets.get(i - 1)) {
                problems.add(path + "[" + i + "]", "buckets must increase: " + bound + " follows " + buckets.get(i - 1));
                return;
            }
        }
    }
}
