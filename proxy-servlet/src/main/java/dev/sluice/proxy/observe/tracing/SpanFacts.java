package dev.sluice.proxy.observe.tracing;

import dev.sluice.proxy.config.TracingConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a span says of the request and its answer, in OpenTelemetry's HTTP semantic conventions;
 * the attribute keys of the captured headers are made once, at start.
 */
final class SpanFacts {
    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
    static final AttributeKey<String> QUERY = AttributeKey.stringKey("url.query");
    static final AttributeKey<String> SCHEME = AttributeKey.stringKey("url.scheme");
    static final AttributeKey<String> FULL = AttributeKey.stringKey("url.full");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey("client.address");
    static final AttributeKey<String> PROTOCOL_VERSION = AttributeKey.stringKey("network.protocol.version");
    static final AttributeKey<String> USER_AGENT = AttributeKey.stringKey("user_agent.original");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<Long> REQUEST_BODY = AttributeKey.longKey("http.request.body.size");
    static final AttributeKey<Long> RESPONSE_BODY = AttributeKey.longKey("http.response.body.size");
    static final AttributeKey<Long> RESEND_COUNT = AttributeKey.longKey("http.request.resend_count");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    /** Traefik's names, so that queries written for Traefik's traces work. */
    static final AttributeKey<String> ENTRY_POINT = AttributeKey.stringKey("entry_point");
    static final AttributeKey<String> ROUTER = AttributeKey.stringKey("traefik.router.name");
    static final AttributeKey<String> SERVICE = AttributeKey.stringKey("traefik.service.name");
    /** Sluice's: the server the balancer chose (the last one tried), and how the exchange ended. */
    static final AttributeKey<String> SERVER_URL = AttributeKey.stringKey("sluice.server.url");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("sluice.outcome");

    static final String REDACTED = "REDACTED";

    private final List<Captured> requestHeaders;
    private final List<Captured> responseHeaders;
    private final Set<String> safeQueryParams;

    private record Captured(String name, AttributeKey<List<String>> key) {}

    SpanFacts(TracingConfig config) {
        this.requestHeaders = captured("http.request.header.", config.capturedRequestHeaders());
        this.responseHeaders = captured("http.response.header.", config.capturedResponseHeaders());
        this.safeQueryParams = Set.copyOf(config.safeQueryParams());
    }

    private static List<Captured> captured(String prefix, List<String> names) {
        return names.stream().map(n -> new Captured(n, AttributeKey.stringArrayKey(prefix + n.toLowerCase(Locale.ROOT)))).toList();
    }

    /** The request line, the connection and the captured request headers. */
    void request(Span span, HttpServletRequest request, String entryPoint) {
        span.setAttribute(METHOD, request.getMethod());
        span.setAttribute(PATH, request.getRequestURI());
        String query = request.getQueryString();
        if (query != null) {
            span.setAttribute(QUERY, redact(query));
        }
        span.setAttribute(SCHEME, request.getScheme());
        span.setAttribute(SERVER_ADDRESS, request.getServerName());
        span.setAttribute(SERVER_PORT, (long) request.getServerPort());
        span.setAttribute(CLIENT_ADDRESS, request.getRemoteAddr());
        span.setAttribute(PROTOCOL_VERSION, protocolVersion(request.getProtocol()));
        String agent = request.getHeader("User-Agent");
        if (agent != null) {
            span.setAttribute(USER_AGENT, agent);
        }
        if (entryPoint != null) {
            span.setAttribute(ENTRY_POINT, entryPoint);
        }
        for (Captured header : requestHeaders) {
            List<String> values = Collections.list(request.getHeaders(header.name()));
            if (!values.isEmpty()) {
                span.setAttribute(header.key(), values);
            }
        }
    }

    /** The captured response headers. */
    void response(Span span, HttpServletResponse response) {
        for (Captured header : responseHeaders) {
            Collection<String> values = response.getHeaders(header.name());
            if (values != null && !values.isEmpty()) {
                span.setAttribute(header.key(), new ArrayList<>(values));
            }
        }
    }

    /** {@code HTTP/1.1} → {@code 1.1}, {@code HTTP/2.0} → {@code 2}, as the conventions write it. */
    static String protocolVersion(String protocol) {
        if (protocol == null || !protocol.startsWith("HTTP/")) {
            return protocol;
        }
        String version = protocol.substring(5);
        return version.endsWith(".0") && !version.equals("1.0") ? version.substring(0, version.length() - 2) : version;
    }

    /** The query with the values of parameters not listed in {@code safeQueryParams} replaced by {@code REDACTED}. */
    String redact(String query) {
        StringBuilder out = new StringBuilder(query.length());
        int start = 0;
        while (start <= query.length()) {
            int end = query.indexOf('&', start);
            if (end < 0) {
                end = query.length();
            }
            String pair = query.substring(start, end);
            int eq = pair.indexOf('=');
            if (out.length() > 0 || start > 0) {
                out.append('&');
            }
            if (eq < 0 || safeQueryParams.contains(pair.substring(0, eq))) {
                out.append(pair);
            } else {
                out.append(pair, 0, eq + 1).append(REDACTED);
            }
            start = end + 1;
        }
        return out.toString();
    }
}
