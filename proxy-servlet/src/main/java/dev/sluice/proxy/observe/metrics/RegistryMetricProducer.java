package dev.sluice.proxy.observe.metrics;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
// The SDK's immutable data classes sit in an "internal" package but are what its own bridges use;
// writing our own MetricData implementations would only copy them.
import io.opentelemetry.sdk.metrics.internal.data.ImmutableDoublePointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableGaugeData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSumData;
import io.opentelemetry.sdk.resources.Resource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads the Prometheus registry as OpenTelemetry metric data at each push, so {@code [metrics.otlp]}
 * sends exactly the families {@code /metrics} serves, recorded once. Names are the Prometheus ones
 * (counters with {@code _total}), as Traefik's OTLP metrics are named; labels become attributes;
 * counters are cumulative monotonic sums, gauges gauges, classic histograms explicit-bucket
 * histograms, info metrics gauges of 1. Summaries and state sets (Sluice has none) are skipped.
 */
final class RegistryMetricProducer implements MetricProducer {
    private static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.create("dev.sluice.proxy.metrics");

    private final PrometheusRegistry registry;
    private final Runnable beforeRead;
    private final long startNanos = nowNanos();

    /** @param beforeRead run before each read (dropping the series of routers gone, as before a scrape) */
    RegistryMetricProducer(PrometheusRegistry registry, Runnable beforeRead) {
        this.registry = registry;
        this.beforeRead = beforeRead;
    }

    @Override
    public Collection<MetricData> produce(Resource resource) {
        beforeRead.run();
        long now = nowNanos();
        List<MetricData> out = new ArrayList<>();
        for (MetricSnapshot snapshot : registry.scrape()) {
            MetricMetadata meta = snapshot.getMetadata();
            String help = meta.getHelp() == null ? "" : meta.getHelp();
            String unit = meta.hasUnit() ? meta.getUnit().toString() : "";
            if (snapshot instanceof CounterSnapshot counter) {
                List<DoublePointData> points = new ArrayList<>();
                for (CounterSnapshot.CounterDataPointSnapshot p : counter.getDataPoints()) {
                    points.add(ImmutableDoublePointData.create(start(p), now, attributes(p.getLabels()), p.getValue()));
                }
                String name = meta.getPrometheusName().endsWith("_total") ? meta.getPrometheusName() : meta.getPrometheusName() + "_total";
                out.add(ImmutableMetricData.createDoubleSum(resource, SCOPE, name, help, unit,
                        ImmutableSumData.create(true, AggregationTemporality.CUMULATIVE, points)));
            } else if (snapshot instanceof GaugeSnapshot gauge) {
                List<DoublePointData> points = new ArrayList<>();
                for (GaugeSnapshot.GaugeDataPointSnapshot p : gauge.getDataPoints()) {
                    points.add(ImmutableDoublePointData.create(start(p), now, attributes(p.getLabels()), p.getValue()));
                }
                out.add(ImmutableMetricData.createDoubleGauge(resource, SCOPE, meta.getPrometheusName(), help, unit,
                        ImmutableGaugeData.create(points)));
            } else if (snapshot instanceof UnknownSnapshot unknown) {
                List<DoublePointData> points = new ArrayList<>();
                for (UnknownSnapshot.UnknownDataPointSnapshot p : unknown.getDataPoints()) {
                    points.add(ImmutableDoublePointData.create(start(p), now, attributes(p.getLabels()), p.getValue()));
                }
                out.add(ImmutableMetricData.createDoubleGauge(resource, SCOPE, meta.getPrometheusName(), help, unit,
                        ImmutableGaugeData.create(points)));
            } else if (snapshot instanceof InfoSnapshot info) {
                List<DoublePointData> points = new ArrayList<>();
                for (InfoSnapshot.InfoDataPointSnapshot p : info.getDataPoints()) {
                    points.add(ImmutableDoublePointData.create(start(p), now, attributes(p.getLabels()), 1));
                }
                String name = meta.getPrometheusName().endsWith("_info") ? meta.getPrometheusName() : meta.getPrometheusName() + "_info";
                out.add(ImmutableMetricData.createDoubleGauge(resource, SCOPE, name, help, "", ImmutableGaugeData.create(points)));
            } else if (snapshot instanceof HistogramSnapshot histogram && !histogram.isGaugeHistogram()) {
                List<HistogramPointData> points = new ArrayList<>();
                for (HistogramSnapshot.HistogramDataPointSnapshot p : histogram.getDataPoints()) {
                    if (p.hasClassicHistogramData()) {
                        points.add(histogramPoint(p, now));
                    }
                }
                out.add(ImmutableMetricData.createDoubleHistogram(resource, SCOPE, meta.getPrometheusName(), help, unit,
                        ImmutableHistogramData.create(AggregationTemporality.CUMULATIVE, points)));
            }
        }
        return out;
    }

    /** Prometheus buckets end with +Inf and count each bucket alone, as OTLP's; OTLP leaves the +Inf bound implicit. */
    private HistogramPointData histogramPoint(HistogramSnapshot.HistogramDataPointSnapshot p, long now) {
        ClassicHistogramBuckets buckets = p.getClassicBuckets();
        List<Double> bounds = new ArrayList<>(buckets.size());
        List<Long> counts = new ArrayList<>(buckets.size());
        for (int i = 0; i < buckets.size(); i++) {
            if (!Double.isInfinite(buckets.getUpperBound(i))) {
                bounds.add(buckets.getUpperBound(i));
            }
            counts.add(buckets.getCount(i));
        }
        if (counts.size() == bounds.size()) { // no +Inf bucket: OTLP wants one count more than bounds
            counts.add(0L);
        }
        double sum = p.hasSum() ? p.getSum() : 0;
        return ImmutableHistogramPointData.create(start(p), now, attributes(p.getLabels()), sum, false, 0, false, 0, bounds, counts);
    }

    private long start(DataPointSnapshot point) {
        return point.hasCreatedTimestamp() ? TimeUnit.MILLISECONDS.toNanos(point.getCreatedTimestampMillis()) : startNanos;
    }

    private static Attributes attributes(Labels labels) {
        if (labels.isEmpty()) {
            return Attributes.empty();
        }
        AttributesBuilder builder = Attributes.builder();
        for (Label label : labels) {
            builder.put(label.getName(), label.getValue());
        }
        return builder.build();
    }

    private static long nowNanos() {
        return TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
    }
}
