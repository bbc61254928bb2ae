package dev.sluice.proxy.config;

import java.util.List;
import java.util.Map;

/**
 * {@code [metrics.prometheus]}: Traefik's Prometheus metrics, scraped at {@code /metrics} of the
 * {@code prometheus@internal} service. Without {@code manualRouting} the service answers on
 * {@code entryPoint} by itself; with it, only through routers that name it (behind basicAuth, say).
 *
 * <pre>
 * [metrics.prometheus]
 * buckets = [0.1, 0.3, 1.2, 5.0]
 * addRoutersLabels = true
 * prefix = "traefik"           # Traefik's exact names, so its Grafana dashboard works unchanged
 * [metrics.prometheus.headerLabels]
 * useragent = "User-Agent"
 * </pre>
 *
 * @param buckets upper bounds, in seconds, of the request duration histograms; Traefik's
 *     {@code [0.1, 0.3, 1.2, 5.0]} by default
 * @param addEntryPointsLabels the {@code entrypoint_*} families; default true
 * @param addRoutersLabels the {@code router_*} families; default false
 * @param addServicesLabels the {@code service_*} families; default true
 * @param entryPoint where {@code prometheus@internal} answers without {@code manualRouting}; default {@code traefik}
 * @param manualRouting serve the metrics only through routers naming {@code prometheus@internal}; default false
 * @param headerLabels extra labels of the {@code requests_total} families: label name to the request
 *     header giving its value (empty when the request has none)
 * @param prefix extension: the first word of every metric name, {@code sluice} by default
 *     ({@code sluice_entrypoint_requests_total}); {@code traefik} gives exactly Traefik's names
 */
public record PrometheusConfig(List<Double> buckets, Boolean addEntryPointsLabels, Boolean addRoutersLabels, Boolean addServicesLabels,
        String entryPoint, Boolean manualRouting, Map<String, String> headerLabels, String prefix) {
    /** Traefik's default buckets. */
    public static final List<Double> DEFAULT_BUCKETS = List.of(0.1, 0.3, 1.2, 5.0);
    public static final String DEFAULT_ENTRY_POINT = "traefik";
    public static final String DEFAULT_PREFIX = "sluice";
    /** {@code [metrics.prometheus]} with nothing set. */
    public static final PrometheusConfig DEFAULTS = new PrometheusConfig(null, null, null, null, null, null, null, null);

    public PrometheusConfig {
        buckets = Frozen.list(buckets, DEFAULT_BUCKETS);
        addEntryPointsLabels = addEntryPointsLabels == null || addEntryPointsLabels;
        addRoutersLabels = addRoutersLabels != null && addRoutersLabels;
        addServicesLabels = addServicesLabels == null || addServicesLabels;
        entryPoint = entryPoint == null || entryPoint.isEmpty() ? DEFAULT_ENTRY_POINT : entryPoint;
        manualRouting = manualRouting != null && manualRouting;
        headerLabels = Frozen.map(headerLabels);
        prefix = prefix == null ? DEFAULT_PREFIX : prefix;
    }

    /** The buckets as the client library takes them: a bound given twice once. */
    public double[] bucketArray() {
        return buckets.stream().mapToDouble(Double::doubleValue).distinct().toArray();
    }

    /** True when a bound is given twice (Traefik's reference file does): a warning, not an error. */
    public boolean repeatsABucket() {
        return buckets.stream().distinct().count() < buckets.size();
    }
}
