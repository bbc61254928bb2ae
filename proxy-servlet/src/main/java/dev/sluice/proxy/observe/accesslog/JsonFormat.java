package dev.sluice.proxy.observe.accesslog;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.sluice.proxy.config.AccessLogConfig;
import dev.sluice.proxy.observe.Session;
import dev.sluice.proxy.service.Exchange;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Set;

/**
 * Traefik's {@code json} format: one object per line with Traefik's field names (those of
 * {@link AccessLogConfig#FIELD_NAMES} the exchange knows; durations in nanoseconds, as Go's),
 * {@code fields.names} and {@code defaultMode} leaving fields out, then the headers
 * {@code fields.headers} keeps or redacts as {@code request_Name} and {@code downstream_Name},
 * then logrus's {@code level}, {@code msg} and {@code time}. The upstream's own response headers
 * ({@code origin_Name}) and {@code OriginContentSize} are not known to Sluice and not written.
 * A relay session carries the fields it has, and {@code SessionEnd}.
 */
final class JsonFormat implements LineFormat {
    private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();

    private final AccessLogConfig.Fields fields;
    /** The fields left out, decided once; names not in {@link AccessLogConfig#FIELD_NAMES} are always written. */
    private final Set<String> dropped = new HashSet<>();

    JsonFormat(AccessLogConfig.Fields fields) {
        this.fields = fields;
        for (String name : AccessLogConfig.FIELD_NAMES) {
            if (!fields.keeps(name)) {
                dropped.add(name);
            }
        }
    }

    /** Appends fields to one JSON object, comma-separated. */
    private final class Writer {
        private final StringBuilder out;
        private boolean first = true;

        Writer(StringBuilder out) {
            this.out = out;
            out.append('{');
        }

        private boolean kept(String name) {
            return dropped.isEmpty() || !dropped.contains(name);
        }

        private StringBuilder key(String name) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append('"');
            ENCODER.quoteAsString(name, out);
            return out.append("\":");
        }

        Writer string(String name, String value) {
            if (value != null && kept(name)) {
                key(name).append('"');
                ENCODER.quoteAsString(value, out);
                out.append('"');
            }
            return this;
        }

        Writer number(String name, long value) {
            if (kept(name)) {
                key(name).append(value);
            }
            return this;
        }

        void end(long endMillis) {
            string("level", "info");
            string("msg", "");
            string("time", Text.LOCAL_ISO.format(Instant.ofEpochMilli(endMillis)));
            out.append('}');
        }
    }

    @Override
    public void exchange(Exchange e, long count, StringBuilder out) {
        HttpServletRequest request = e.containerRequest();
        Writer w = new Writer(out);
        long duration = e.durationNanos();
        long origin = e.originNanos();
        Instant start = Instant.ofEpochMilli(e.startMillis());
        w.string("StartUTC", start.toString()).string("StartLocal", Text.LOCAL_ISO.format(start)).number("Duration", duration);
        w.string("entryPointName", e.entryPoint()).string("RouterName", e.router()).string("ServiceName", e.service());
        if (e.server() != null) {
            w.string("ServiceURL", e.server().url()).string("ServiceAddr", ExchangeFacts.serverAddress(e.server()));
        }
        String peer = request.getRemoteAddr();
        w.string("ClientAddr", peer + ":" + request.getRemotePort()).string("ClientHost", ExchangeFacts.clientHost(e))
                .string("ClientPort", Integer.toString(request.getRemotePort())).string("ClientUsername", e.user() == null ? "-" : e.user());
        w.string("RequestAddr", ExchangeFacts.authority(request)).string("RequestHost", ExchangeFacts.requestHost(request))
                .string("RequestPort", ExchangeFacts.requestPort(request)).string("RequestMethod", request.getMethod())
                .string("RequestPath", ExchangeFacts.requestPath(request)).string("RequestProtocol", request.getProtocol())
                .string("RequestScheme", request.getScheme()).number("RequestContentSize", e.bytesIn());
        if (origin >= 0) {
            w.number("OriginDuration", origin);
        }
        w.number("OriginStatus", e.originStatus()).number("DownstreamStatus", e.status())
                .number("DownstreamContentSize", e.bytesOut()).number("RequestCount", count)
                .number("Overhead", origin >= 0 ? duration - origin : duration).number("RetryAttempts", e.retryAttempts())
                .string("TLSVersion", ExchangeFacts.tlsVersion(request)).string("TLSCipher", ExchangeFacts.tlsCipher(request));
        headers(w, "request_", request.getHeaderNames(), request);
        HttpServletResponse response = e.response();
        for (String name : response.getHeaderNames()) {
            header(w, "downstream_", name, String.join(",", response.getHeaders(name)));
        }
        w.end(e.startMillis() + duration / 1_000_000);
    }

    private void headers(Writer w, String prefix, Enumeration<String> names, HttpServletRequest request) {
        while (names.hasMoreElements()) {
            String name = names.nextElement();
            Enumeration<String> values = request.getHeaders(name);
            StringBuilder joined = new StringBuilder();
            while (values.hasMoreElements()) {
                if (!joined.isEmpty()) {
                    joined.append(',');
                }
                joined.append(values.nextElement());
            }
            header(w, prefix, name, joined.toString());
        }
    }

    private void header(Writer w, String prefix, String name, String value) {
        switch (fields.headers().mode(name)) {
            case KEEP -> w.string(prefix + ExchangeFacts.canonical(name), value);
            case REDACT -> w.string(prefix + ExchangeFacts.canonical(name), "REDACTED");
            case DROP -> { }
        }
    }

    @Override
    public void session(Session s, long count, StringBuilder out) {
        Writer w = new Writer(out);
        Instant start = Instant.ofEpochMilli(s.startMillis());
        w.string("StartUTC", start.toString()).string("StartLocal", Text.LOCAL_ISO.format(start)).number("Duration", s.durationNanos());
        w.string("entryPointName", s.entryPoint()).string("RouterName", s.router()).string("ServiceName", s.service())
                .string("ServiceAddr", s.server());
        if (s.client() != null) {
            String host = s.client().getAddress().getHostAddress();
            w.string("ClientAddr", host + ":" + s.client().getPort()).string("ClientHost", host)
                    .string("ClientPort", Integer.toString(s.client().getPort()));
        }
        w.string("RequestProtocol", s.protocol().name()).number("RequestContentSize", s.bytesIn())
                .number("DownstreamContentSize", s.bytesOut()).number("RequestCount", count).string("SessionEnd", s.end().name());
        w.end(s.startMillis() + s.durationNanos() / 1_000_000);
    }
}
