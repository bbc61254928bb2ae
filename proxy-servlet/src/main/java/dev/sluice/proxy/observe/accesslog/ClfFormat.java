package dev.sluice.proxy.observe.accesslog;

import dev.sluice.proxy.config.AccessLogConfig;
import dev.sluice.proxy.observe.Session;
import dev.sluice.proxy.service.Exchange;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Traefik's {@code common} format, and {@code genericCLF} (the same without its last four fields):
 * <pre>
 * ClientHost - ClientUsername [StartUTC] "RequestMethod RequestPath RequestProtocol" DownstreamStatus DownstreamContentSize "Referer" "User-Agent" RequestCount "RouterName" "ServiceURL" Durationms
 * </pre>
 * A field {@code fields} drops is {@code -}; so are the Referer and User-Agent headers unless
 * {@code fields.headers} keeps them (Traefik's rule: headers are dropped by default), or
 * {@code REDACTED}. A TCP or UDP session is written in the same shape, its request line
 * {@code "TCP entryPoint END"}, no status, its size the bytes sent to the client and its server
 * address in place of the URL.
 */
final class ClfFormat implements LineFormat {
    private final boolean generic;
    private final boolean clientHost;
    private final boolean user;
    private final boolean start;
    private final boolean method;
    private final boolean path;
    private final boolean protocol;
    private final boolean status;
    private final boolean size;
    private final boolean count;
    private final boolean router;
    private final boolean serviceUrl;
    private final boolean duration;
    private final AccessLogConfig.Mode referer;
    private final AccessLogConfig.Mode userAgent;

    ClfFormat(AccessLogConfig.Fields fields, boolean generic) {
        this.generic = generic;
        clientHost = fields.keeps("ClientHost");
        user = fields.keeps("ClientUsername");
        start = fields.keeps("StartUTC");
        method = fields.keeps("RequestMethod");
        path = fields.keeps("RequestPath");
        protocol = fields.keeps("RequestProtocol");
        status = fields.keeps("DownstreamStatus");
        size = fields.keeps("DownstreamContentSize");
        count = fields.keeps("RequestCount");
        router = fields.keeps("RouterName");
        serviceUrl = fields.keeps("ServiceURL");
        duration = fields.keeps("Duration");
        referer = fields.headers().mode("Referer");
        userAgent = fields.headers().mode("User-Agent");
    }

    @Override
    public void exchange(Exchange e, long requestCount, StringBuilder out) {
        HttpServletRequest request = e.containerRequest();
        Text.plain(out, clientHost ? ExchangeFacts.clientHost(e) : null);
        out.append(" - ");
        Text.plain(out, user ? e.user() : null);
        out.append(" [").append(start ? Text.clfTime(e.startMillis()) : "-").append("] \"");
        Text.plain(out, method ? request.getMethod() : null);
        out.append(' ');
        Text.plain(out, path ? ExchangeFacts.requestPath(request) : null);
        out.append(' ');
        Text.plain(out, protocol ? request.getProtocol() : null);
        out.append("\" ");
        number(out, status, e.status());
        out.append(' ');
        number(out, size, e.bytesOut());
        out.append(' ');
        header(out, referer, request.getHeader("Referer"));
        out.append(' ');
        header(out, userAgent, request.getHeader("User-Agent"));
        traefikTail(out, requestCount, e.router(), e.server() != null ? e.server().url() : null, e.durationNanos());
    }

    /** A number, or {@code -} for a dropped field. */
    private static void number(StringBuilder out, boolean keep, long value) {
        if (keep) {
            out.append(value);
        } else {
            out.append('-');
        }
    }

    /** What Traefik's {@code common} adds to the generic CLF: request count, router, server URL, duration. */
    private void traefikTail(StringBuilder out, long requestCount, String routerName, String serverUrl, long durationNanos) {
        if (generic) {
            return;
        }
        out.append(' ');
        number(out, count, requestCount);
        out.append(' ');
        Text.quoted(out, router ? routerName : null);
        out.append(' ');
        Text.quoted(out, serviceUrl ? serverUrl : null);
        out.append(' ').append(duration ? durationNanos / 1_000_000 : 0).append("ms");
    }

    private static void header(StringBuilder out, AccessLogConfig.Mode mode, String value) {
        Text.quoted(out, switch (mode) {
            case KEEP -> value;
            case REDACT -> value == null ? null : "REDACTED";
            case DROP -> null;
        });
    }

    @Override
    public void session(Session s, long requestCount, StringBuilder out) {
        Text.plain(out, clientHost && s.client() != null ? s.client().getAddress().getHostAddress() : null);
        out.append(" - - [").append(start ? Text.clfTime(s.startMillis()) : "-").append("] \"").append(s.protocol()).append(' ');
        Text.plain(out, s.entryPoint());
        out.append(' ').append(s.end()).append("\" - ");
        number(out, size, s.bytesOut());
        out.append(" \"-\" \"-\"");
        traefikTail(out, requestCount, s.router(), s.server(), s.durationNanos());
    }
}
