/**
 * {@code [metrics.prometheus]} and {@code [metrics.otlp]}: Traefik's metric families on the Prometheus Java client. Start at
 * {@link dev.sluice.proxy.observe.metrics.PrometheusMetrics} (one registry per Sluice instance, made
 * by the runtime at start); {@code RequestMetrics} records each HTTP
 * exchange, {@code RelayMetrics} each TCP/UDP session,
 * {@code StateMetrics} reads health, reloads, connections and
 * certificates when scraped, and {@link dev.sluice.proxy.observe.metrics.PrometheusEndpoint} answers
 * the scrapes of {@code prometheus@internal}. With {@code [metrics.otlp]}, {@code OtlpMetricsPush} pushes
 * the same registry over OTLP, read by {@code RegistryMetricProducer} at each push.
 */
package dev.sluice.proxy.observe.metrics;
