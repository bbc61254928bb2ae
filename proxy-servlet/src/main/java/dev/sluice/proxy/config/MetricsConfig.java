package dev.sluice.proxy.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code [metrics]}: one table per exporter, as Traefik's. Sluice implements {@code prometheus}
 * ({@link PrometheusConfig}) and {@code addInternals}; the other exporters load with a warning.
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
 * @param otlp not supported yet
 */
public record MetricsConfig(Boolean addInternals, PrometheusConfig prometheus, JsonNode datadog, JsonNode statsD, JsonNode influxDB2,
        JsonNode otlp) {
    /** No {@code [metrics]}. */
    public static final MetricsConfig NONE = new MetricsConfig(null, null, null, null, null, null);

    /** {@link #addInternals()}, false when unset. */
    public boolean measuresInternals() {
        return addInternals != null && addInternals;
    }
}
