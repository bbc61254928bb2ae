package dev.sluice.standalone;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * Test helper: an OTLP/HTTP metrics collector on 127.0.0.1 ({@code POST /v1/metrics}) that decodes
 * each push with OpenTelemetry's own proto classes and keeps it, with its headers.
 */
final class OtlpMetricsReceiver implements AutoCloseable {
    /** One push: its resource attributes (string values) and metrics, and the request's headers (names in lower case). */
    record Push(Map<String, String> resource, List<Metric> metrics, Map<String, String> headers) {
        Metric metric(String name) {
            return metrics.stream().filter(m -> m.getName().equals(name)).findFirst().orElse(null);
        }

        /** The sum of the points of the sum {@code name} whose attribute {@code key} is {@code value}; -1 when absent. */
        double sum(String name, String key, String value) {
            Metric metric = metric(name);
            if (metric == null || !metric.hasSum()) {
                return -1;
            }
            return metric.getSum().getDataPointsList().stream()
                    .filter(p -> value.equals(attributes(p.getAttributesList()).get(key)))
                    .mapToDouble(p -> p.getAsDouble()).sum();
        }
    }

    private final List<Push> pushes = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    OtlpMetricsReceiver() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/metrics", exchange -> {
            try (exchange) {
                InputStream body = exchange.getRequestBody();
                if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                    body = new GZIPInputStream(body);
                }
                Map<String, String> headers = exchange.getRequestHeaders().entrySet().stream()
                        .collect(Collectors.toMap(e -> e.getKey().toLowerCase(Locale.ROOT), e -> e.getValue().get(0), (a, b) -> a));
                ExportMetricsServiceRequest request = ExportMetricsServiceRequest.parseFrom(body.readAllBytes());
                for (ResourceMetrics resource : request.getResourceMetricsList()) {
                    List<Metric> metrics = resource.getScopeMetricsList().stream().map(ScopeMetrics::getMetricsList)
                            .flatMap(List::stream).toList();
                    pushes.add(new Push(attributes(resource.getResource().getAttributesList()), metrics, headers));
                }
                byte[] answer = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
                exchange.getResponseBody().write(answer);
            }
        });
        server.start();
    }

    private static Map<String, String> attributes(List<KeyValue> list) {
        return list.stream().collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue(), (a, b) -> b));
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/metrics";
    }

    /** Every push received so far, oldest first. */
    List<Push> pushes() {
        return List.copyOf(pushes);
    }

    /** The latest push, or null before the first. */
    Push last() {
        List<Push> all = pushes();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
