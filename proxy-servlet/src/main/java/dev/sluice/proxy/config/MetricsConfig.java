package dev.sluice.proxy.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code [metrics]}: one table per exporter, as Traefik's. Sluice implements {@code prometheus}
 * ({@link PrometheusConfig}), {@code otlp} ({@link OtlpMetricsConfig}) and {@code addInternals}; the other
 * exporters load with a warning. Both exporters read one set of families (see {@link #families()}).
 *
 * <pre>
 * [metrics.prometheus]
 * addRoutersLabels = true
 * </pre>
 *
 * @param addInternals also measure the requests served by internal services ({@code prometheus@internal},
 *     {@code api@internal}, ...); default false, as Traefik
 * @param prometheus the Prometheus endpoint and its metric families; null without {@code [metrics.prometheus]}
 * @param datadog not supported yet
 * @param statsD not supported yet
 * @param influxDB2 not supported yet
 * @param otlp OpenTelemetry push export; null without {@code [metrics.otlp]}
 */
public record MetricsConfig(Boolean addInternals, PrometheusConfig prometheus, JsonNode datadog, JsonNode statsD, JsonNode influxDB2,
        OtlpMetricsConfig otlp) {
    /** No {@code [metrics]}. */
    public static final MetricsConfig NONE = new MetricsConfig(null, null, null, null, null, null);

    /** {@link #addInternals()}, false when unset. */
    public boolean measuresInternals() {
        return addInternals != null && addInternals;
    }

    /**
     * The families both exporters read: those of {@code [metrics.prometheus]} when present (its label
     * options and buckets win over {@code [metrics.otlp]}'s), else those {@code [metrics.otlp]} asks for;
     * null when neither is configured.
     */
    public PrometheusConfig families() {
        if (prometheus != null) {
            return prometheus;
        }
        return otlp == null ? null : otlp.families();
    }
}
