package dev.sluice.proxy.observe.accesslog;

import dev.sluice.proxy.config.AccessLogFormat.Part;
import dev.sluice.proxy.config.AccessLogFormat.Placeholder;
import dev.sluice.proxy.observe.Session;
import dev.sluice.proxy.service.Exchange;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;

/**
 * A Pingap-style template, its placeholders resolved once at load ({@link dev.sluice.proxy.config.AccessLogFormat}):
 * each part appends its text or value, {@code -} for a value the exchange has not. For a relay
 * session the placeholders that mean something there are filled ({@code {remote}}, {@code {client_ip}},
 * {@code {proto}} and {@code {method}} as TCP or UDP, {@code {status}} as how it ended, sizes,
 * latency, times, {@code {:upstream_addr}}, {@code {:router}}, ...), the others are {@code -}.
 */
final class TemplateFormat implements LineFormat {
    private final Part[] parts;

    TemplateFormat(List<Part> parts) {
        this.parts = parts.toArray(Part[]::new);
    }

    @Override
    public void exchange(Exchange e, long count, StringBuilder out) {
        HttpServletRequest request = e.containerRequest();
        long endMillis = e.startMillis() + e.durationNanos() / 1_000_000;
        for (Part part : parts) {
            switch (part.placeholder()) {
                case TEXT -> out.append(part.arg());
                case HOST -> Text.plain(out, ExchangeFacts.requestHost(request));
                case METHOD -> Text.plain(out, request.getMethod());
                case PATH -> Text.plain(out, request.getRequestURI());
                case PROTO -> Text.plain(out, request.getProtocol());
                case QUERY -> Text.plain(out, request.getQueryString());
                case REMOTE -> Text.plain(out, request.getRemoteAddr());
                case CLIENT_IP -> Text.plain(out, ExchangeFacts.clientHost(e));
                case SCHEME -> Text.plain(out, request.getScheme());
                case URI -> Text.plain(out, ExchangeFacts.requestPath(request));
                case REFERER -> Text.plain(out, request.getHeader("Referer"));
                case USER_AGENT -> Text.plain(out, request.getHeader("User-Agent"));
                case WHEN -> out.append(Text.LOCAL_MILLIS.format(Instant.ofEpochMilli(endMillis)));
                case WHEN_UTC_ISO -> out.append(Text.UTC_MILLIS.format(Instant.ofEpochMilli(endMillis)));
                case WHEN_UNIX -> out.append(endMillis);
                case SIZE -> out.append(e.bytesOut());
                case SIZE_HUMAN -> Text.humanSize(out, e.bytesOut());
                case STATUS -> out.append(e.status());
                case LATENCY -> out.append(e.durationNanos() / 1_000_000);
                case LATENCY_HUMAN -> Text.humanMillis(out, e.durationNanos() / 1_000_000);
                case PAYLOAD_SIZE -> out.append(e.bytesIn());
                case PAYLOAD_SIZE_HUMAN -> Text.humanSize(out, e.bytesIn());
                case REQUEST_ID -> {
                    String id = request.getHeader("X-Request-Id");
                    Text.plain(out, id != null ? id : e.response().getHeader("X-Request-Id"));
                }
                case COOKIE -> Text.plain(out, ExchangeFacts.cookie(request, part.arg()));
                case REQUEST_HEADER -> Text.plain(out, request.getHeader(part.arg()));
                case RESPONSE_HEADER -> Text.plain(out, e.response().getHeader(part.arg()));
                case UPSTREAM_ADDR -> Text.plain(out, ExchangeFacts.serverAddress(e.server()));
                case UPSTREAM_STATUS -> Text.plain(out, e.originStatus() == 0 ? null : Integer.toString(e.originStatus()));
                case UPSTREAM_RESPONSE_TIME -> millis(out, e.originNanos(), false);
                case UPSTREAM_RESPONSE_TIME_HUMAN -> millis(out, e.originNanos(), true);
                case TLS_VERSION -> Text.plain(out, ExchangeFacts.tlsVersion(request));
                case TLS_CIPHER -> Text.plain(out, ExchangeFacts.tlsCipher(request));
                case ROUTER, LOCATION -> Text.plain(out, e.router());
                case SERVICE -> Text.plain(out, e.service());
                case ENTRY_POINT -> Text.plain(out, e.entryPoint());
                case RETRIES -> out.append(e.retryAttempts());
            }
        }
    }

    private static void millis(StringBuilder out, long nanos, boolean human) {
        if (nanos < 0) {
            out.append('-');
        } else if (human) {
            Text.humanMillis(out, nanos / 1_000_000);
        } else {
            out.append(nanos / 1_000_000);
        }
    }

    @Override
    public void session(Session s, long count, StringBuilder out) {
        long millis = s.durationNanos() / 1_000_000;
        long endMillis = s.startMillis() + millis;
        for (Part part : parts) {
            switch (part.placeholder()) {
                case TEXT -> out.append(part.arg());
                case METHOD, PROTO -> out.append(s.protocol());
                case REMOTE, CLIENT_IP -> Text.plain(out, s.client() == null ? null : s.client().getAddress().getHostAddress());
                case WHEN -> out.append(Text.LOCAL_MILLIS.format(Instant.ofEpochMilli(endMillis)));
                case WHEN_UTC_ISO -> out.append(Text.UTC_MILLIS.format(Instant.ofEpochMilli(endMillis)));
                case WHEN_UNIX -> out.append(endMillis);
                case SIZE -> out.append(s.bytesOut());
                case SIZE_HUMAN -> Text.humanSize(out, s.bytesOut());
                case STATUS -> out.append(s.end());
                case LATENCY -> out.append(millis);
                case LATENCY_HUMAN -> Text.humanMillis(out, millis);
                case PAYLOAD_SIZE -> out.append(s.bytesIn());
                case PAYLOAD_SIZE_HUMAN -> Text.humanSize(out, s.bytesIn());
                case UPSTREAM_ADDR -> Text.plain(out, s.server());
                case ROUTER, LOCATION -> Text.plain(out, s.router());
                case SERVICE -> Text.plain(out, s.service());
                case ENTRY_POINT -> Text.plain(out, s.entryPoint());
                default -> out.append('-');
            }
        }
    }
}
