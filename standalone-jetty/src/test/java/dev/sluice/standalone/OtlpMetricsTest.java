package dev.sluice.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code [metrics.otlp]} end to end: known traffic from a real client through a real Sluice to a real
 * backend, the families pushed over OTLP/HTTP on a short interval to a collector in the test that
 * decodes them with OpenTelemetry's proto classes ({@link OtlpMetricsReceiver}).
 */
class OtlpMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Backend backend;
    private OtlpMetricsReceiver receiver;
    private Sluice sluice;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {sluice, backend, receiver}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private void start(String metrics) throws Exception {
        start(metrics, OtlpMetricsReceiver.http());
    }

    private void start(String metrics, OtlpMetricsReceiver collector) throws Exception {
        receiver = collector;
        backend = new Backend("app");
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                """ + metrics.replace("RECEIVER", receiver.url()) + """
                [http.routers.app]
                rule = "PathPrefix(`/`)"
                service = "app"
                [[http.services.app.loadBalancer.servers]]
                url = "%s"
                """.formatted(backend.url()));
        for (int i = 0; i < 7; i++) {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(sluice.uri("web", "/x")).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode());
        }
    }

    /** The latest push once it counts {@code count} requests of {@code entryPoint} (exchanges end just after the answer). */
    private OtlpMetricsReceiver.Push awaitRequests(String name, String key, String value, int count) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> receiver.last() != null && receiver.last().sum(name, key, value) == count);
        return receiver.last();
    }

    @Test
    void pushesTheRequestCountsWithTheResourceAndHeaders() throws Exception {
        start("""
                [metrics.otlp]
                pushInterval = "200ms"
                addRoutersLabels = true
                explicitBoundaries = [0.5, 2.0]
                serviceName = "edge"
                resourceAttributes = { "deployment.environment" = "test" }
                [metrics.otlp.http]
                endpoint = "RECEIVER"
                headers = { Authorization = "Bearer secret" }
                """);
        OtlpMetricsReceiver.Push push = awaitRequests("sluice_entrypoint_requests_total", "entrypoint", "web", 7);
        assertEquals("edge", push.resource().get("service.name"));
        assertEquals("test", push.resource().get("deployment.environment"));
        assertEquals("Bearer secret", push.headers().get("authorization"));
        assertEquals(7, push.sum("sluice_router_requests_total", "router", "app"), "addRoutersLabels");
        assertEquals(7, push.sum("sluice_service_requests_total", "service", "app"));
        Metric counter = push.metric("sluice_entrypoint_requests_total");
        assertTrue(counter.getSum().getIsMonotonic());
        assertEquals(io.opentelemetry.proto.metrics.v1.AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
                counter.getSum().getAggregationTemporality());
        // The duration histogram, with the explicitBoundaries as its buckets (+Inf implicit in OTLP).
        Metric duration = push.metric("sluice_entrypoint_request_duration_seconds");
        assertNotNull(duration, () -> "names pushed: " + push.metrics().stream().map(Metric::getName).toList());
        long count = 0;
        for (HistogramDataPoint point : duration.getHistogram().getDataPointsList()) {
            assertEquals(java.util.List.of(0.5, 2.0), point.getExplicitBoundsList());
            assertEquals(3, point.getBucketCountsCount());
            assertEquals(point.getCount(), point.getBucketCountsList().stream().mapToLong(Long::longValue).sum());
            count += point.getCount();
        }
        assertEquals(7, count);
        assertNotNull(push.metric("jvm_memory_used_bytes"), "the JVM families too");
        // Pushed again and again, not once.
        int seen = receiver.pushes().size();
        await().atMost(WAIT).until(() -> receiver.pushes().size() >= seen + 2);
    }

    @Test
    void withoutPrometheusNoMetricsEndpointAndTheDefaultLabelOptions() throws Exception {
        start("""
                [metrics.otlp]
                pushInterval = "200ms"
                [metrics.otlp.http]
                endpoint = "RECEIVER"
                """);
        OtlpMetricsReceiver.Push push = awaitRequests("sluice_entrypoint_requests_total", "entrypoint", "web", 7);
        assertEquals("sluice", push.resource().get("service.name"));
        assertEquals(null, push.metric("sluice_router_requests_total"), "addRoutersLabels is false by default");
        assertEquals(7, push.sum("sluice_service_requests_total", "service", "app"));
        assertEquals(java.util.List.of(), sluice.server.runtime().config().warnings());
    }

    @Test
    void pushesOverGrpcWithItsMetadata() throws Exception {
        start("""
                [metrics.otlp]
                pushInterval = "200ms"
                [metrics.otlp.grpc]
                endpoint = "RECEIVER"
                insecure = true
                headers = { x-tenant = "blue" }
                """, OtlpMetricsReceiver.grpc());
        OtlpMetricsReceiver.Push push = awaitRequests("sluice_entrypoint_requests_total", "entrypoint", "web", 7);
        assertEquals("sluice", push.resource().get("service.name"));
        assertEquals("blue", push.headers().get("x-tenant"));
    }

    @Test
    void theLastCountsArePushedOnClose() throws Exception {
        start("""
                [metrics.otlp]
                pushInterval = "1h"
                [metrics.otlp.http]
                endpoint = "RECEIVER"
                """);
        // No push for an hour: only closing sends one, with every request counted.
        await().atMost(WAIT).until(() -> sluice.server.runtime().metrics() != null);
        sluice.close();
        sluice = null;
        assertEquals(1, receiver.pushes().size());
        assertEquals(7, receiver.last().sum("sluice_entrypoint_requests_total", "entrypoint", "web"));
    }
}
