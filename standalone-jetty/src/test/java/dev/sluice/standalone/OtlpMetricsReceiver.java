package dev.sluice.standalone;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * Test helper: an OTLP metrics collector on 127.0.0.1, over HTTP ({@code POST /v1/metrics}) or gRPC
 * (h2c), that decodes each push with OpenTelemetry's own proto classes and keeps it, with its headers.
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
    private AutoCloseable stop;
    private String endpoint;

    private OtlpMetricsReceiver() {}

    /** OTLP/HTTP at {@code http://127.0.0.1:PORT/v1/metrics} ({@link #url()}). */
    static OtlpMetricsReceiver http() throws Exception {
        OtlpMetricsReceiver receiver = new OtlpMetricsReceiver();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/metrics", exchange -> {
            try (exchange) {
                InputStream body = exchange.getRequestBody();
                if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                    body = new GZIPInputStream(body);
                }
                Map<String, String> headers = exchange.getRequestHeaders().entrySet().stream()
                        .collect(Collectors.toMap(e -> e.getKey().toLowerCase(Locale.ROOT), e -> e.getValue().get(0), (a, b) -> a));
                receiver.add(ExportMetricsServiceRequest.parseFrom(body.readAllBytes()), headers);
                byte[] answer = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
                exchange.getResponseBody().write(answer);
            }
        });
        server.start();
        receiver.stop = () -> server.stop(0);
        receiver.endpoint = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/metrics";
        return receiver;
    }

    /**
     * OTLP over gRPC (h2c) at {@code 127.0.0.1:PORT} ({@link #url()}): the method
     * {@code MetricsService/Export}, its length-prefixed message read and answered with {@code grpc-status: 0}.
     */
    static OtlpMetricsReceiver grpc() throws Exception {
        OtlpMetricsReceiver receiver = new OtlpMetricsReceiver();
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server, new HTTP2CServerConnectionFactory(new HttpConfiguration()));
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (!request.getHttpURI().getPath().equals("/opentelemetry.proto.collector.metrics.v1.MetricsService/Export")) {
                    Response.writeError(request, response, callback, 404);
                    return true;
                }
                Map<String, String> headers = request.getHeaders().stream()
                        .collect(Collectors.toMap(f -> f.getLowerCaseName(), f -> f.getValue(), (a, b) -> a));
                ByteBuffer buffer = Content.Source.asByteBuffer(request);
                int compressed = buffer.get();
                byte[] message = new byte[buffer.getInt()];
                buffer.get(message);
                InputStream in = new ByteArrayInputStream(message);
                if (compressed == 1) {
                    in = new GZIPInputStream(in);
                }
                receiver.add(ExportMetricsServiceRequest.parseFrom(in.readAllBytes()), headers);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/grpc");
                response.setTrailersSupplier(() -> HttpFields.build().put("grpc-status", "0"));
                response.write(true, ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 0}), callback); // an empty ExportMetricsServiceResponse
                return true;
            }
        });
        server.start();
        receiver.stop = server::stop;
        receiver.endpoint = "127.0.0.1:" + connector.getLocalPort();
        return receiver;
    }

    private void add(ExportMetricsServiceRequest request, Map<String, String> headers) {
        for (ResourceMetrics resource : request.getResourceMetricsList()) {
            List<Metric> metrics = resource.getScopeMetricsList().stream().map(ScopeMetrics::getMetricsList).flatMap(List::stream).toList();
            pushes.add(new Push(attributes(resource.getResource().getAttributesList()), metrics, headers));
        }
    }

    private static Map<String, String> attributes(List<KeyValue> list) {
        return list.stream().collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue(), (a, b) -> b));
    }

    /** The URL (HTTP) or {@code host:port} (gRPC) to configure as {@code endpoint}. */
    String url() {
        return endpoint;
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
    public void close() throws Exception {
        stop.close();
    }
}
