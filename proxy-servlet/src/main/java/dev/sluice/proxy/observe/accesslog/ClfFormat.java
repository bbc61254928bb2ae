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
        if (status) {
            out.append(e.status());
        } else {
            out.append('-');
        }
        out.append(' ');
        if (size) {
            out.append(e.bytesOut());
        } else {
            out.append('-');
        }
        out.append(' ');
        header(out, referer, request.getHeader("Referer"));
        out.append(' ');
        header(out, userAgent, request.getHeader("User-Agent"));
        if (generic) {
            return;
        }
        out.append(' ');
        if (count) {
            out.append(requestCount);
        } else {
            out.append('-');
        }
        out.append(' ');
        Text.quoted(out, router ? e.router() : null);
        out.append(' ');
        Text.quoted(out, serviceUrl && e.server() != null ? e.server().url() : null);
        out.append(' ').append(duration ? e.durationNanos() / 1_000_000 : 0).append("ms");
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
        if (size) {
            out.append(s.bytesOut());
        } else {
            out.append('-');
        }
        out.append(" \"-\" \"-\"");
        if (generic) {
            return;
        }
        out.append(' ');
        if (count) {
            out.append(requestCount);
        } else {
            out.append('-');
        }
        out.append(' ');
        Text.quoted(out, router ? s.router() : null);
        out.append(' ');
        Text.quoted(out, serviceUrl ? s.server() : null);
        out.append(' ').append(duration ? s.durationNanos() / 1_000_000 : 0).append("ms");
    }
}
