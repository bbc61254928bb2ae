package dev.sluice.standalone;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
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
 * Test helper: an OTLP collector on 127.0.0.1 that decodes what it receives with OpenTelemetry's own
 * proto classes. {@link #http()} answers {@code POST /v1/traces} (OTLP/HTTP, protobuf) on the JDK's
 * HTTP server; {@link #grpc()} answers the gRPC method {@code TraceService/Export} over h2c on Jetty,
 * reading the length-prefixed message frame and answering one with {@code grpc-status: 0} trailers.
 */
final class OtlpReceiver implements AutoCloseable {
    /** One span as received, with the resource it came with; IDs in lower-case hex as W3C writes them. */
    record Received(Span span, Resource resource) {
        String name() {
            return span.getName();
        }

        String traceId() {
            return HexFormat.of().formatHex(span.getTraceId().toByteArray());
        }

        String spanId() {
            return HexFormat.of().formatHex(span.getSpanId().toByteArray());
        }

        String parentSpanId() {
            return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
        }

        Span.SpanKind kind() {
            return span.getKind();
        }

        Map<String, AnyValue> attributes() {
            return toMap(span.getAttributesList());
        }

        String string(String key) {
            AnyValue value = attributes().get(key);
            return value == null ? null : value.getStringValue();
        }

        Long integer(String key) {
            AnyValue value = attributes().get(key);
            return value == null ? null : value.getIntValue();
        }

        String resourceString(String key) {
            AnyValue value = toMap(resource.getAttributesList()).get(key);
            return value == null ? null : value.getStringValue();
        }

        private static Map<String, AnyValue> toMap(List<KeyValue> list) {
            return list.stream().collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue, (a, b) -> b));
        }
    }

    private final List<Received> spans = new java.util.ArrayList<>(); // guarded by itself
    private final List<Map<String, String>> exportHeaders = new CopyOnWriteArrayList<>();
    private final AutoCloseable stop;
    private final int port;

    private OtlpReceiver(AutoCloseable stop, int port) {
        this.stop = stop;
        this.port = port;
    }

    /** OTLP/HTTP at {@code http://127.0.0.1:PORT/v1/traces}. */
    static OtlpReceiver http() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        OtlpReceiver receiver = new OtlpReceiver(() -> server.stop(0), server.getAddress().getPort());
        server.createContext("/v1/traces", exchange -> {
            try (exchange) {
                InputStream body = exchange.getRequestBody();
                if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                    body = new GZIPInputStream(body);
                }
                receiver.exportHeaders.add(exchange.getRequestHeaders().entrySet().stream()
                        .collect(Collectors.toMap(e -> e.getKey().toLowerCase(java.util.Locale.ROOT), e -> e.getValue().get(0))));
                receiver.add(ExportTraceServiceRequest.parseFrom(body.readAllBytes()));
                byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
                exchange.getResponseBody().write(answer);
            }
        });
        server.start();
        return receiver;
    }

    /** OTLP over gRPC (h2c) at {@code 127.0.0.1:PORT}. */
    static OtlpReceiver grpc() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server, new HTTP2CServerConnectionFactory(new HttpConfiguration()));
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        OtlpReceiver[] self = new OtlpReceiver[1];
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (!request.getHttpURI().getPath().equals("/opentelemetry.proto.collector.trace.v1.TraceService/Export")) {
                    Response.writeError(request, response, callback, 404);
                    return true;
                }
                self[0].exportHeaders.add(request.getHeaders().stream()
                        .collect(Collectors.toMap(f -> f.getLowerCaseName(), f -> f.getValue(), (a, b) -> a)));
                ByteBuffer buffer = Content.Source.asByteBuffer(request);
                int compressed = buffer.get();
                int length = buffer.getInt();
                byte[] message = new byte[length];
                buffer.get(message);
                InputStream in = new ByteArrayInputStream(message);
                if (compressed == 1) {
                    in = new GZIPInputStream(in);
                }
                self[0].add(ExportTraceServiceRequest.parseFrom(in.readAllBytes()));
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/grpc");
                response.setTrailersSupplier(() -> HttpFields.build().put("grpc-status", "0"));
                response.write(true, ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 0}), callback); // an empty ExportTraceServiceResponse
                return true;
            }
        });
        server.start();
        self[0] = new OtlpReceiver(server::stop, connector.getLocalPort());
        return self[0];
    }

    private void add(ExportTraceServiceRequest request) {
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            for (ScopeSpans scope : resourceSpans.getScopeSpansList()) {
                for (Span span : scope.getSpansList()) {
                    synchronized (spans) {
                        spans.add(new Received(span, resourceSpans.getResource()));
                    }
                }
            }
        }
    }

    int port() {
        return port;
    }

    /** Every span received so far. */
    List<Received> spans() {
        synchronized (spans) {
            return List.copyOf(spans);
        }
    }

    /** The headers of each export request, names in lower case. */
    List<Map<String, String>> exportHeaders() {
        return List.copyOf(exportHeaders);
    }

    @Override
    public void close() throws Exception {
        stop.close();
    }
}
