package dev.sluice.proxy.config;

import java.util.List;
import java.util.Map;

/**
 * {@code [tracing]}: Traefik's OpenTelemetry tracing. One server span per exchange, a client span
 * per upstream attempt, W3C {@code traceparent}/{@code tracestate} read from the client and sent
 * upstream, exported over OTLP (HTTP/protobuf by default, or gRPC) off the request thread.
 *
 * <pre>
 * [tracing]
 * serviceName = "edge"
 * sampleRate = 0.2
 * capturedRequestHeaders = ["User-Agent"]
 * safeQueryParams = ["page"]
 * [tracing.otlp.http]
 * endpoint = "http://collector:4318/v1/traces"
 * </pre>
 *
 * <p>Read once, at start, as Traefik's static configuration: a reload that changes it is applied at
 * the next start (with a warning).
 *
 * @param serviceName the {@code service.name} resource attribute; {@code sluice} by default (Traefik's is {@code traefik})
 * @param resourceAttributes more resource attributes, name to value
 * @param capturedRequestHeaders request headers recorded as {@code http.request.header.<name>}
 * @param capturedResponseHeaders response headers recorded as {@code http.response.header.<name>}
 * @param safeQueryParams query parameters whose values {@code url.query} keeps; the others read {@code REDACTED}
 * @param sampleRate the share of traces Sluice starts, 0 to 1 (default 1); a caller's sampling decision is followed
 * @param addInternals also trace the requests of internal services ({@code api@internal}, ...); default false
 * @param otlp where spans go; OTLP over HTTP to {@code http://localhost:4318/v1/traces} when absent
 * @param globalAttributes Traefik's older name of {@code resourceAttributes} (deprecated there), merged into them
 */
public record TracingConfig(String serviceName, Map<String, String> resourceAttributes, List<String> capturedRequestHeaders,
        List<String> capturedResponseHeaders, List<String> safeQueryParams, Double sampleRate, Boolean addInternals, Otlp otlp,
        Map<String, String> globalAttributes) {
    public static final String DEFAULT_SERVICE_NAME = "sluice";

    public TracingConfig {
        serviceName = serviceName == null || serviceName.isEmpty() ? DEFAULT_SERVICE_NAME : serviceName;
        resourceAttributes = Frozen.map(resourceAttributes);
        capturedRequestHeaders = Frozen.list(capturedRequestHeaders);
        capturedResponseHeaders = Frozen.list(capturedResponseHeaders);
        safeQueryParams = Frozen.list(safeQueryParams);
        sampleRate = sampleRate == null ? 1.0 : sampleRate;
        addInternals = addInternals != null && addInternals;
        otlp = otlp == null || (otlp.http() == null && otlp.grpc() == null) ? Otlp.DEFAULT : otlp;
        globalAttributes = Frozen.map(globalAttributes);
    }

    /** {@code globalAttributes} then {@code resourceAttributes}: the newer name wins a clash. */
    public Map<String, String> allResourceAttributes() {
        Map<String, String> all = new java.util.LinkedHashMap<>(globalAttributes);
        all.putAll(resourceAttributes);
        return all;
    }

    /** {@code [tracing.otlp]}: one exporter, {@code http} or {@code grpc} (http wins when both are given). */
    public record Otlp(Http http, Grpc grpc) {
        public static final Otlp DEFAULT = new Otlp(new Http(null, null, null), null);
    }

    /**
     * {@code [tracing.otlp.http]}: OTLP/HTTP with protobuf bodies.
     *
     * @param endpoint the full URL spans are POSTed to; {@code http://localhost:4318/v1/traces} by default,
     *     {@code /v1/traces} appended when it has no path
     * @param headers sent with every export (an authorization token, say)
     * @param tls the collector's CA, a client certificate, or {@code insecureSkipVerify}, for an https endpoint
     */
    public record Http(String endpoint, Map<String, String> headers, ClientTls tls) {
        public static final String DEFAULT_ENDPOINT = "http://localhost:4318/v1/traces";

        public Http {
            endpoint = endpoint == null || endpoint.isEmpty() ? DEFAULT_ENDPOINT : endpoint;
            headers = Frozen.map(headers);
        }
    }

    /**
     * {@code [tracing.otlp.grpc]}: OTLP over gRPC.
     *
     * @param endpoint {@code host:port} of the collector; {@code localhost:4317} by default
     * @param insecure plaintext (h2c) instead of TLS; default false, as Traefik
     * @param headers sent as gRPC metadata with every export
     * @param tls the collector's CA or a client certificate
     */
    public record Grpc(String endpoint, Boolean insecure, Map<String, String> headers, ClientTls tls) {
        public static final String DEFAULT_ENDPOINT = "localhost:4317";

        public Grpc {
            endpoint = endpoint == null || endpoint.isEmpty() ? DEFAULT_ENDPOINT : endpoint;
            insecure = insecure != null && insecure;
            headers = Frozen.map(headers);
        }
    }

    /**
     * Traefik's client TLS: PEM files.
     *
     * @param ca the CA certificates that sign the collector's certificate (the JVM's trust store when unset)
     * @param cert a client certificate, with {@code key}
     * @param key the client certificate's private key
     * @param insecureSkipVerify accept any certificate (tests only)
     * @param caOptional accepted for Traefik's sake; no effect on a client
     */
    public record ClientTls(String ca, String cert, String key, Boolean insecureSkipVerify, Boolean caOptional) {
        public ClientTls {
            insecureSkipVerify = insecureSkipVerify != null && insecureSkipVerify;
        }
    }
}
