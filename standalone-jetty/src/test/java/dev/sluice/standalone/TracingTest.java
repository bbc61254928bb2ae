package dev.sluice.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code [tracing]} end to end: a real client sends a W3C traceparent, a real Sluice proxies to a real
 * backend that records the traceparent it got, and the spans exported over OTLP are decoded by a
 * collector in the test ({@link OtlpReceiver}) with OpenTelemetry's proto classes.
 */
class TracingTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_SPAN = "00f067aa0ba902b7";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private Backend backend;
    private OtlpReceiver receiver;
    private Sluice sluice;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {sluice, backend, receiver}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private void start(String tracing, String serverUrl) throws Exception {
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                """ + tracing + """
                [http.routers.app]
                rule = "PathPrefix(`/`)"
                service = "app"
                [[http.services.app.loadBalancer.servers]]
                url = "%s"
                """.formatted(serverUrl));
    }

    private HttpResponse<String> get(String pathQuery, String traceparent) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(sluice.uri("web", pathQuery)).timeout(WAIT).header("User-Agent", "probe/1");
        if (traceparent != null) {
            request.header("traceparent", traceparent).header("tracestate", "vendor=opaque");
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The spans of {@code traceId} once {@code count} of them arrived (flushing the batch meanwhile: exchanges end after the answer). */
    private List<OtlpReceiver.Received> awaitSpans(String traceId, int count) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            sluice.server.runtime().tracing().flush(5);
            return receiver.spans().stream().filter(s -> s.traceId().equals(traceId)).count() >= count;
        });
        return receiver.spans().stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    private static OtlpReceiver.Received kind(List<OtlpReceiver.Received> spans, Span.SpanKind kind) {
        List<OtlpReceiver.Received> of = spans.stream().filter(s -> s.kind() == kind).toList();
        assertEquals(1, of.size(), () -> "one " + kind + " span in " + spans);
        return of.get(0);
    }

    @Test
    void theProxySpanIsTheClientsChildAndTheUpstreamsParent() throws Exception {
        backend = new Backend("app");
        receiver = OtlpReceiver.http();
        start("""
                [tracing]
                serviceName = "edge"
                capturedRequestHeaders = ["User-Agent"]
                capturedResponseHeaders = ["X-Backend"]
                safeQueryParams = ["page"]
                [tracing.resourceAttributes]
                "deployment.environment" = "test"
                [tracing.otlp.http]
                endpoint = "http://127.0.0.1:%d/v1/traces"
                [tracing.otlp.http.headers]
                Authorization = "Bearer collector-token"
                """.formatted(receiver.port()), backend.url());

        assertEquals(200, get("/items?page=2&token=s3cret", "00-" + CLIENT_TRACE + "-" + CLIENT_SPAN + "-01").statusCode());
        Backend.Seen seen = backend.take();
        Matcher upstream = TRACEPARENT.matcher(seen.headers().get("traceparent"));
        assertTrue(upstream.matches(), seen.headers().get("traceparent"));
        assertEquals(CLIENT_TRACE, upstream.group(1), "the upstream request stays in the client's trace");
        assertEquals("01", upstream.group(3));
        assertEquals("vendor=opaque", seen.headers().get("tracestate"));

        List<OtlpReceiver.Received> spans = awaitSpans(CLIENT_TRACE, 2);
        OtlpReceiver.Received server = kind(spans, Span.SpanKind.SPAN_KIND_SERVER);
        OtlpReceiver.Received attempt = kind(spans, Span.SpanKind.SPAN_KIND_CLIENT);
        assertEquals(CLIENT_SPAN, server.parentSpanId(), "the server span is the client's child");
        assertEquals(server.spanId(), attempt.parentSpanId(), "the attempt is the server span's child");
        assertEquals(attempt.spanId(), upstream.group(2), "the upstream's parent is the proxy's attempt span");

        assertEquals("GET app", server.name());
        assertEquals("GET", server.string("http.request.method"));
        assertEquals("/items", server.string("url.path"));
        assertEquals("page=2&token=REDACTED", server.string("url.query"));
        assertEquals("http", server.string("url.scheme"));
        assertEquals(200L, server.integer("http.response.status_code"));
        assertEquals("127.0.0.1", server.string("server.address"));
        assertEquals((long) sluice.port("web"), server.integer("server.port"));
        assertEquals("1.1", server.string("network.protocol.version"));
        assertEquals("web", server.string("entry_point"));
        assertEquals("app", server.string("traefik.router.name"));
        assertEquals("app", server.string("traefik.service.name"));
        assertEquals(backend.url(), server.string("sluice.server.url"));
        assertEquals("proxied", server.string("sluice.outcome"));
        assertEquals(List.of("probe/1"), server.attributes().get("http.request.header.user-agent").getArrayValue().getValuesList()
                .stream().map(v -> v.getStringValue()).toList());
        assertEquals("app", server.attributes().get("http.response.header.x-backend").getArrayValue().getValues(0).getStringValue());
        assertEquals(Status.StatusCode.STATUS_CODE_UNSET, server.span().getStatus().getCode());

        assertEquals("GET", attempt.name());
        assertEquals(backend.url(), attempt.string("url.full"));
        assertEquals((long) backend.port(), attempt.integer("server.port"));
        assertEquals(200L, attempt.integer("http.response.status_code"));
        assertNull(attempt.integer("http.request.resend_count"), "a first try is no resend");
        assertTrue(attempt.span().getStartTimeUnixNano() >= server.span().getStartTimeUnixNano());
        assertTrue(attempt.span().getEndTimeUnixNano() <= server.span().getEndTimeUnixNano());

        assertEquals("edge", server.resourceString("service.name"));
        assertEquals("test", server.resourceString("deployment.environment"));
        assertEquals("Bearer collector-token", receiver.exportHeaders().get(0).get("authorization"));
    }

    @Test
    void withoutATraceparentSluiceStartsTheTrace() throws Exception {
        backend = new Backend("app");
        receiver = OtlpReceiver.http();
        start("[tracing]\n[tracing.otlp.http]\nendpoint = \"http://127.0.0.1:%d\"\n".formatted(receiver.port()), backend.url());
        assertEquals(200, get("/", null).statusCode());
        Matcher upstream = TRACEPARENT.matcher(backend.take().headers().get("traceparent"));
        assertTrue(upstream.matches());
        List<OtlpReceiver.Received> spans = awaitSpans(upstream.group(1), 2);
        OtlpReceiver.Received server = kind(spans, Span.SpanKind.SPAN_KIND_SERVER);
        assertEquals("", server.parentSpanId(), "a root span");
        assertEquals("sluice", server.resourceString("service.name"));
        assertEquals(kind(spans, Span.SpanKind.SPAN_KIND_CLIENT).spanId(), upstream.group(2));
    }

    @Test
    void aDeadUpstreamGivesAnErrorSpanWith502() throws Exception {
        receiver = OtlpReceiver.http();
        Backend dead = new Backend("dead");
        String url = dead.url();
        dead.stop(); // its port stays held: refused, never taken by another server
        backend = dead;
        start("[tracing.otlp.http]\nendpoint = \"http://127.0.0.1:%d/v1/traces\"\n".formatted(receiver.port()), url);

        assertEquals(502, get("/", "00-" + CLIENT_TRACE + "-" + CLIENT_SPAN + "-01").statusCode());
        List<OtlpReceiver.Received> spans = awaitSpans(CLIENT_TRACE, 2);
        OtlpReceiver.Received server = kind(spans, Span.SpanKind.SPAN_KIND_SERVER);
        assertEquals(502L, server.integer("http.response.status_code"));
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, server.span().getStatus().getCode());
        assertEquals("502", server.string("error.type"));
        assertEquals("upstream_failed", server.string("sluice.outcome"));
        OtlpReceiver.Received attempt = kind(spans, Span.SpanKind.SPAN_KIND_CLIENT);
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, attempt.span().getStatus().getCode());
        assertNotEquals(null, attempt.string("error.type"));
    }

    @Test
    void sampleRateZeroExportsNothingButStillPropagatesAndFollowsASampledCaller() throws Exception {
        backend = new Backend("app");
        receiver = OtlpReceiver.http();
        start("[tracing]\nsampleRate = 0.0\n[tracing.otlp.http]\nendpoint = \"http://127.0.0.1:%d/v1/traces\"\n"
                .formatted(receiver.port()), backend.url());

        // An unsampled caller: the trace goes on upstream, unsampled, under a span of the proxy.
        String unsampledTrace = "0af7651916cd43dd8448eb211c80319c";
        assertEquals(200, get("/", "00-" + unsampledTrace + "-b7ad6b7169203331-00").statusCode());
        Matcher upstream = TRACEPARENT.matcher(backend.take().headers().get("traceparent"));
        assertTrue(upstream.matches());
        assertEquals(unsampledTrace, upstream.group(1));
        assertEquals("00", upstream.group(3));
        assertNotEquals("b7ad6b7169203331", upstream.group(2));

        // No caller's trace: Sluice starts one, and samples it out.
        assertEquals(200, get("/", null).statusCode());
        Matcher started = TRACEPARENT.matcher(backend.take().headers().get("traceparent"));
        assertTrue(started.matches());
        assertEquals(0, Integer.parseInt(started.group(3), 16) & 1, "not sampled (the SDK may set W3C's random-trace-id flag 02)");

        // A sampled caller is followed (parent-based, as Traefik): its spans are the only ones exported.
        assertEquals(200, get("/", "00-" + CLIENT_TRACE + "-" + CLIENT_SPAN + "-01").statusCode());
        awaitSpans(CLIENT_TRACE, 2);
        assertTrue(sluice.server.runtime().tracing().flush(5));
        assertEquals(List.of(CLIENT_TRACE, CLIENT_TRACE), receiver.spans().stream().map(OtlpReceiver.Received::traceId).toList());
    }

    @Test
    void sampleRateOneExportsEveryExchangeAndShutdownFlushesTheBatch() throws Exception {
        backend = new Backend("app");
        receiver = OtlpReceiver.http();
        start("[tracing]\nsampleRate = 1.0\n[tracing.otlp.http]\nendpoint = \"http://127.0.0.1:%d/v1/traces\"\n"
                .formatted(receiver.port()), backend.url());
        // Told after tracing (observers run in order): once it counts 5, every span has ended.
        java.util.concurrent.atomic.AtomicInteger ended = new java.util.concurrent.atomic.AtomicInteger();
        sluice.server.runtime().observers().add(exchange -> ended.incrementAndGet());
        for (int i = 0; i < 5; i++) {
            assertEquals(200, get("/", null).statusCode());
        }
        await().atMost(WAIT).until(() -> ended.get() == 5); // an exchange is over a moment after its answer
        // No flush: the batch waits 5 s by default, and stopping Sluice exports it.
        sluice.close();
        sluice = null;
        assertEquals(5, receiver.spans().stream().filter(s -> s.kind() == Span.SpanKind.SPAN_KIND_SERVER).count());
        assertEquals(5, receiver.spans().stream().map(OtlpReceiver.Received::traceId).distinct().count());
    }

    @Test
    void spansGoOverGrpcToo() throws Exception {
        backend = new Backend("app");
        receiver = OtlpReceiver.grpc();
        start("""
                [tracing.otlp.grpc]
                endpoint = "127.0.0.1:%d"
                insecure = true
                [tracing.otlp.grpc.headers]
                x-tenant = "blue"
                """.formatted(receiver.port()), backend.url());
        assertEquals(200, get("/grpc-exported", "00-" + CLIENT_TRACE + "-" + CLIENT_SPAN + "-01").statusCode());
        List<OtlpReceiver.Received> spans = awaitSpans(CLIENT_TRACE, 2);
        OtlpReceiver.Received server = kind(spans, Span.SpanKind.SPAN_KIND_SERVER);
        assertEquals(CLIENT_SPAN, server.parentSpanId());
        assertEquals("/grpc-exported", server.string("url.path"));
        assertEquals("blue", receiver.exportHeaders().get(0).get("x-tenant"));
        assertEquals("application/grpc", receiver.exportHeaders().get(0).get("content-type"));
    }

    @Test
    void eachRetryIsAClientSpanAndTheUpstreamSeesEachOneAsItsParent() throws Exception {
        backend = new Backend("app");
        receiver = OtlpReceiver.http();
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [tracing.otlp.http]
                endpoint = "http://127.0.0.1:%d/v1/traces"
                [http.routers.app]
                rule = "PathPrefix(`/`)"
                service = "app"
                middlewares = ["retry"]
                [http.middlewares.retry.retry]
                attempts = 3
                status = ["500"]
                [[http.services.app.loadBalancer.servers]]
                url = "%s"
                """.formatted(receiver.port(), backend.url()));
        backend.failNext(2);
        assertEquals(200, get("/", "00-" + CLIENT_TRACE + "-" + CLIENT_SPAN + "-01").statusCode());
        List<String> upstreamParents = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Matcher m = TRACEPARENT.matcher(backend.take().headers().get("traceparent"));
            assertTrue(m.matches());
            upstreamParents.add(m.group(2));
        }
        List<OtlpReceiver.Received> spans = awaitSpans(CLIENT_TRACE, 4);
        OtlpReceiver.Received server = kind(spans, Span.SpanKind.SPAN_KIND_SERVER);
        assertEquals(200L, server.integer("http.response.status_code"));
        List<OtlpReceiver.Received> attempts = spans.stream().filter(s -> s.kind() == Span.SpanKind.SPAN_KIND_CLIENT)
                .sorted(java.util.Comparator.comparingLong(s -> s.span().getStartTimeUnixNano())).toList();
        assertEquals(3, attempts.size());
        assertEquals(upstreamParents, attempts.stream().map(OtlpReceiver.Received::spanId).toList());
        assertEquals(java.util.Arrays.asList(null, 1L, 2L), attempts.stream().map(a -> a.integer("http.request.resend_count")).toList());
        assertEquals(List.of(500L, 500L, 200L), attempts.stream().map(a -> a.integer("http.response.status_code")).toList());
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, attempts.get(0).span().getStatus().getCode());
        assertEquals(Status.StatusCode.STATUS_CODE_UNSET, attempts.get(2).span().getStatus().getCode());
        attempts.forEach(a -> assertEquals(server.spanId(), a.parentSpanId()));
    }

    @Test
    void aTimedOutExchangeEndsItsSpanAs504() throws Exception {
        receiver = OtlpReceiver.http();
        // Reads the request, then never answers: the response-header timeout ends the exchange.
        try (RawUpstream hanging = new RawUpstream(socket -> {
            try {
                socket.getInputStream().read();
            } catch (java.net.SocketTimeoutException expected) {
                // the proxy gave up first
            }
        })) {
            sluice = Sluice.start("""
                    [entryPoints.web]
                    address = "127.0.0.1:0"
                    [tracing.otlp.http]
                    endpoint = "http://127.0.0.1:%d/v1/traces"
                    [http.routers.app]
                    rule = "PathPrefix(`/`)"
                    service = "app"
                    [http.services.app.loadBalancer]
                    serversTransport = "impatient"
                    [[http.services.app.loadBalancer.servers]]
                    url = "http://127.0.0.1:%d"
                    [http.serversTransports.impatient.forwardingTimeouts]
                    responseHeaderTimeout = "300ms"
                    """.formatted(receiver.port(), hanging.port()));
            assertEquals(504, get("/", "00-" + CLIENT_TRACE + "-" + CLIENT_SPAN + "-01").statusCode());
            List<OtlpReceiver.Received> spans = awaitSpans(CLIENT_TRACE, 2);
            OtlpReceiver.Received server = kind(spans, Span.SpanKind.SPAN_KIND_SERVER);
            assertEquals(504L, server.integer("http.response.status_code"));
            assertEquals("timed_out", server.string("sluice.outcome"));
            assertEquals(Status.StatusCode.STATUS_CODE_ERROR, server.span().getStatus().getCode());
            OtlpReceiver.Received attempt = kind(spans, Span.SpanKind.SPAN_KIND_CLIENT);
            assertEquals(Status.StatusCode.STATUS_CODE_ERROR, attempt.span().getStatus().getCode());
            assertEquals("java.util.concurrent.TimeoutException", attempt.string("error.type"));
        }
    }

    @Test
    void aClientThatLeavesMidAnswerEndsItsSpanAsAborted() throws Exception {
        backend = new Backend("app");
        receiver = OtlpReceiver.http();
        start("[tracing.otlp.http]\nendpoint = \"http://127.0.0.1:%d/v1/traces\"\n".formatted(receiver.port()), backend.url());
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", sluice.port("web"))) {
            socket.setSoLinger(true, 0); // closing resets the connection
            socket.getOutputStream().write(("GET /hold HTTP/1.1\r\nHost: x\r\ntraceparent: 00-" + CLIENT_TRACE + "-" + CLIENT_SPAN
                    + "-01\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getInputStream().readNBytes(1024); // the answer started: the backend holds the rest back
        }
        backend.release();
        OtlpReceiver.Received server = kind(awaitSpans(CLIENT_TRACE, 2), Span.SpanKind.SPAN_KIND_SERVER); // and the attempt's
        assertEquals("client_aborted", server.string("sluice.outcome"));
        assertEquals("client_aborted", server.string("error.type"));
        assertEquals(200L, server.integer("http.response.status_code"));
    }

    @Test
    void internalServicesAreTracedOnlyWithAddInternals() throws Exception {
        backend = new Backend("app");
        receiver = OtlpReceiver.http();
        String pingTrace = "11111111111111111111111111111111";
        start("[ping]\nentryPoint = \"web\"\n[tracing.otlp.http]\nendpoint = \"http://127.0.0.1:%d/v1/traces\"\n"
                .formatted(receiver.port()), backend.url());
        assertEquals(200, get("/ping", "00-" + pingTrace + "-" + CLIENT_SPAN + "-01").statusCode());
        assertEquals(200, get("/after", "00-" + CLIENT_TRACE + "-" + CLIENT_SPAN + "-01").statusCode());
        awaitSpans(CLIENT_TRACE, 2);
        assertTrue(sluice.server.runtime().tracing().flush(5));
        assertEquals(0, receiver.spans().stream().filter(s -> s.traceId().equals(pingTrace)).count(), "ping@internal is not traced");
        sluice.close();

        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [ping]
                entryPoint = "web"
                [tracing]
                addInternals = true
                [tracing.otlp.http]
                endpoint = "http://127.0.0.1:%d/v1/traces"
                """.formatted(receiver.port()));
        assertEquals(200, get("/ping", "00-" + pingTrace + "-" + CLIENT_SPAN + "-01").statusCode());
        OtlpReceiver.Received ping = kind(awaitSpans(pingTrace, 1), Span.SpanKind.SPAN_KIND_SERVER);
        assertEquals("ping@internal", ping.string("traefik.service.name"));
    }
}
