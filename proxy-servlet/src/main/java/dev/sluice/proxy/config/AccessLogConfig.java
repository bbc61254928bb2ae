package dev.sluice.proxy.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.proxy.config.middleware.StatusRanges;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code [accessLog]}: one line per HTTP exchange and per TCP/UDP session, as Traefik's access log,
 * or in a Pingap-style template. Lines are written by one thread off the request path; when its
 * queue is full, lines are dropped and counted, never waited for.
 *
 * <pre>
 * [accessLog]
 * filePath = "/var/log/sluice/access.log"   # stdout when absent
 * format = "json"                            # common (default) | genericCLF | json | a template
 * bufferingSize = 1000
 * [accessLog.filters]
 * statusCodes = ["400-599"]
 * </pre>
 *
 * @param filePath the file lines are appended to (created with its directories; reopened on
 *     {@code SIGUSR1}); null or empty: standard output
 * @param format how a line looks, see {@link AccessLogFormat}; default {@code common}
 * @param bufferingSize lines kept in memory for the writer; 0 (the default): {@value #DEFAULT_QUEUE} lines
 * @param filters which exchanges are logged (any filter that matches keeps one); none: all
 * @param fields which fields and headers a line carries
 * @param addInternals log the exchanges of internal services ({@code api@internal}, {@code ping@internal}, ...); default false
 * @param dualOutput accepted, ignored with a warning (Traefik's OTLP access logs)
 * @param otlp accepted, ignored with a warning
 */
public record AccessLogConfig(String filePath, AccessLogFormat format, Integer bufferingSize, Filters filters, Fields fields,
        Boolean addInternals, JsonNode dualOutput, JsonNode otlp) {
    /** Lines queued for the writer when {@code bufferingSize} is 0. */
    public static final int DEFAULT_QUEUE = 16_384;

    /**
     * The fields of Traefik's JSON access log that Sluice fills, as {@code fields.names} names them
     * (case-insensitively, as Traefik).
     */
    public static final List<String> FIELD_NAMES = List.of("StartUTC", "StartLocal", "Duration", "RouterName", "ServiceName",
            "ServiceURL", "ServiceAddr", "ClientAddr", "ClientHost", "ClientPort", "ClientUsername", "RequestAddr", "RequestHost",
            "RequestPort", "RequestMethod", "RequestPath", "RequestProtocol", "RequestScheme", "RequestContentSize",
            "OriginDuration", "OriginStatus", "DownstreamStatus", "DownstreamContentSize", "RequestCount", "Overhead",
            "RetryAttempts", "TLSVersion", "TLSCipher", "entryPointName");

    public AccessLogConfig {
        filePath = filePath == null || filePath.isBlank() ? null : filePath;
        format = format == null ? AccessLogFormat.COMMON : format;
        bufferingSize = bufferingSize == null ? 0 : bufferingSize;
        if (bufferingSize < 0) {
            throw new IllegalArgumentException("bufferingSize: must be 0 or more, got " + bufferingSize);
        }
        filters = filters == null ? Filters.NONE : filters;
        addInternals = addInternals != null && addInternals;
        fields = fields == null ? Fields.DEFAULT : fields;
    }

    /** A copy writing to {@code path} (resolved against the configuration file's directory). */
    AccessLogConfig withFilePath(String path) {
        return new AccessLogConfig(path, format, bufferingSize, filters, fields, addInternals, dualOutput, otlp);
    }

    /** How many lines may wait for the writer. */
    public int queueCapacity() {
        return bufferingSize > 0 ? bufferingSize : DEFAULT_QUEUE;
    }

    /**
     * {@code [accessLog.filters]}: a line is kept when any filter set matches it (Traefik's rule);
     * with none set, every line is kept.
     *
     * @param statusCodes statuses and ranges such as {@code "200"}, {@code "400-599"} (of the answer to the client)
     * @param retryAttempts keep exchanges that were retried
     * @param minDuration keep exchanges (and sessions) that took longer than this
     */
    public record Filters(List<String> statusCodes, Boolean retryAttempts, Duration minDuration) {
        public static final Filters NONE = new Filters(null, null, null);

        public Filters {
            statusCodes = Frozen.list(statusCodes);
            StatusRanges.parse(statusCodes); // throws, naming the bad entry
            retryAttempts = retryAttempts != null && retryAttempts;
            minDuration = minDuration == null ? Duration.ZERO : minDuration;
            if (minDuration.isNegative()) {
                throw new IllegalArgumentException("minDuration: must not be negative");
            }
        }

        /** True when no filter is set: every line is kept. */
        public boolean keepsAll() {
            return statusCodes.isEmpty() && !retryAttempts && minDuration.isZero();
        }
    }

    /**
     * {@code [accessLog.fields]}: which fields are written ({@code keep} or {@code drop}), and which
     * headers ({@code keep}, {@code drop} or {@code redact}, as {@code request_NAME} and
     * {@code downstream_NAME}).
     *
     * @param defaultMode for fields not in {@code names}; default {@code keep}
     * @param names by field name, case-insensitive; a dropped field is {@code -} in the CLF formats
     * @param headers the headers' modes
     */
    public record Fields(Mode defaultMode, Map<String, Mode> names, Headers headers) {
        public static final Fields DEFAULT = new Fields(null, null, null);

        public Fields {
            defaultMode = defaultMode == null ? Mode.KEEP : defaultMode;
            if (defaultMode == Mode.REDACT) {
                throw new IllegalArgumentException("defaultMode: redact applies to headers only; expected keep or drop");
            }
            names = Frozen.map(names);
            names.forEach((name, mode) -> {
                if (FIELD_NAMES.stream().noneMatch(known -> known.equalsIgnoreCase(name))) {
                    throw new IllegalArgumentException("names: unknown field \"" + name + "\"" + Suggestions.didYouMean(name, FIELD_NAMES)
                            + "; known fields: " + String.join(", ", FIELD_NAMES));
                }
                if (mode == Mode.REDACT) {
                    throw new IllegalArgumentException("names." + name + ": redact applies to headers only; expected keep or drop");
                }
            });
            headers = headers == null ? Headers.DEFAULT : headers;
        }

        /** Whether field {@code name} (one of {@link #FIELD_NAMES}) is written. */
        public boolean keeps(String name) {
            for (Map.Entry<String, Mode> e : names.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue() == Mode.KEEP;
                }
            }
            return defaultMode == Mode.KEEP;
        }
    }

    /**
     * {@code [accessLog.fields.headers]}.
     *
     * @param defaultMode for headers not in {@code names}; default {@code drop}, as Traefik
     * @param names by header name, case-insensitive
     */
    public record Headers(Mode defaultMode, Map<String, Mode> names) {
        public static final Headers DEFAULT = new Headers(null, null);

        public Headers {
            defaultMode = defaultMode == null ? Mode.DROP : defaultMode;
            names = Frozen.map(names);
        }

        /** The mode of header {@code name}. */
        public Mode mode(String name) {
            for (Map.Entry<String, Mode> e : names.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            return defaultMode;
        }
    }

    /** What happens to a field or header: written, left out, or written as {@code REDACTED} (headers only). */
    public enum Mode {
        KEEP, DROP, REDACT;

        @JsonCreator
        public static Mode of(String name) {
            for (Mode mode : values()) {
                if (mode.name().equalsIgnoreCase(name)) {
                    return mode;
                }
            }
            List<String> names = Arrays.stream(values()).map(m -> m.name().toLowerCase(Locale.ROOT)).toList();
            throw new IllegalArgumentException("unknown mode \"" + name + "\"" + Suggestions.didYouMean(name, names)
                    + "; expected one of " + String.join(", ", names));
        }
    }
}
