package dev.sluice.proxy.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code accessLog.format}, parsed once when the configuration loads: Traefik's {@code common}
 * (CLF with the request count, router, server URL and duration), {@code genericCLF} (the same
 * without those four), {@code json} (Traefik's field names), one of Pingap's presets ({@code tiny},
 * {@code short}, {@code combined}; Pingap's {@code common} is Traefik's here), or a Pingap template
 * such as {@code "{host} {method} {path} {status} {latency}ms {>x-request-id} {<content-type} {~session} {:upstream_addr}"}.
 *
 * <p>In a template, {@code {name}} is a placeholder when {@code name} is made of letters, digits and
 * {@code _ - < > ~ : $} (Pingap's rule); any other brace is text. {@code {>Header}} is a request
 * header, {@code {<Header>}} a response header, {@code {~name}} a cookie, {@code {$NAME}} an
 * environment variable and {@code {$hostname}} the host's name (both read once, at load), {@code {:key}}
 * a fact of the exchange ({@link Placeholder}). An unknown placeholder is an error (Pingap drops it).
 *
 * @param kind which of the formats
 * @param text as configured (a preset's name is replaced by its template)
 * @param parts a template's literal text and placeholders, in order; empty for the other kinds
 */
public record AccessLogFormat(Kind kind, String text, List<Part> parts) {
    public static final AccessLogFormat COMMON = new AccessLogFormat(Kind.COMMON, "common", List.of());

    /** Pingap's presets, as templates. */
    private static final Map<String, String> PRESETS = Map.of(
            "tiny", "{method} {uri} {status} {size_human} - {latency}ms",
            "short", "{remote} {method} {uri} {proto} {status} {size_human} - {latency}ms",
            "combined", "{remote} \"{method} {uri} {proto}\" {status} {size_human} \"{referer}\" \"{user_agent}\"");

    public AccessLogFormat {
        parts = Frozen.list(parts);
    }

    /** The formats. */
    public enum Kind { COMMON, GENERIC_CLF, JSON, TEMPLATE }

    /** What a template's placeholder stands for; {@code tag} is its name in braces. */
    public enum Placeholder {
        /** Literal text ({@link Part#arg()}). */
        TEXT(null),
        HOST("host"), METHOD("method"), PATH("path"), PROTO("proto"), QUERY("query"), REMOTE("remote"), CLIENT_IP("client_ip"),
        SCHEME("scheme"), URI("uri"), REFERER("referer"), USER_AGENT("user_agent"),
        /** The end of the exchange, local time, RFC 3339 with milliseconds. */
        WHEN("when"), WHEN_UTC_ISO("when_utc_iso"), WHEN_UNIX("when_unix"),
        /** Body bytes sent to the client. */
        SIZE("size"), SIZE_HUMAN("size_human"),
        STATUS("status"),
        /** Milliseconds from arrival to the end. */
        LATENCY("latency"), LATENCY_HUMAN("latency_human"),
        /** Body bytes received from the client. */
        PAYLOAD_SIZE("payload_size"), PAYLOAD_SIZE_HUMAN("payload_size_human"),
        /** The {@code X-Request-Id} request header (what the requestId middleware sets). */
        REQUEST_ID("request_id"),
        /** {@code {~name}}, {@code {>Name}}, {@code {<Name}}: {@link Part#arg()} is the name. */
        COOKIE("~"), REQUEST_HEADER(">"), RESPONSE_HEADER("<"),
        /** The server the request went to, {@code host:port}. */
        UPSTREAM_ADDR(":upstream_addr"),
        /** The status the server answered (0: none did). */
        UPSTREAM_STATUS(":upstream_status"),
        /** Milliseconds from sending the request upstream to the end of its answer. */
        UPSTREAM_RESPONSE_TIME(":upstream_response_time"), UPSTREAM_RESPONSE_TIME_HUMAN(":upstream_response_time_human"),
        TLS_VERSION(":tls_version"), TLS_CIPHER(":tls_cipher"),
        /** Sluice's own: the router (Pingap's {@code :location}), its service, the entry point, the retries. */
        ROUTER(":router"), LOCATION(":location"), SERVICE(":service"), ENTRY_POINT(":entry_point"), RETRIES(":retries");

        private final String tag;

        Placeholder(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }

        private static final Map<String, Placeholder> BY_TAG = Arrays.stream(values()).filter(p -> p.tag != null && p.tag.length() > 1)
                .collect(Collectors.toMap(p -> p.tag, Function.identity()));
    }

    /** A template's piece: text, or a placeholder with its argument (a header or cookie name). */
    public record Part(Placeholder placeholder, String arg) {}

    /** Reads {@code accessLog.format}; throws naming what is wrong. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static AccessLogFormat of(String text) {
        switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "common":
                return COMMON;
            case "genericclf":
                return new AccessLogFormat(Kind.GENERIC_CLF, "genericCLF", List.of());
            case "json":
                return new AccessLogFormat(Kind.JSON, "json", List.of());
            default:
                break;
        }
        String template = PRESETS.getOrDefault(text.trim(), text);
        List<Part> parts = parse(template);
        if (parts.stream().allMatch(p -> p.placeholder() == Placeholder.TEXT)) {
            throw new IllegalArgumentException("unknown format \"" + text + "\"" + Suggestions.didYouMean(text,
                    List.of("common", "genericCLF", "json", "tiny", "short", "combined"))
                    + "; expected common, genericCLF, json, a Pingap preset (tiny, short, combined) or a template with placeholders"
                    + " such as \"{method} {path} {status} {latency}ms\"");
        }
        return new AccessLogFormat(Kind.TEMPLATE, template, parts);
    }

    private static boolean isTagChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "_-<>~:$".indexOf(c) >= 0;
    }

    /** Pingap's tokenizer: a brace that opens no well-formed placeholder is text. */
    private static List<Part> parse(String template) {
        List<Part> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            int end = i + 1;
            while (c == '{' && end < template.length() && isTagChar(template.charAt(end))) {
                end++;
            }
            if (c != '{' || end == i + 1 || end >= template.length() || template.charAt(end) != '}') {
                text.append(c);
                i++;
                continue;
            }
            Part part = placeholder(template.substring(i + 1, end));
            if (part.placeholder() == Placeholder.TEXT) {
                text.append(part.arg());
            } else {
                if (!text.isEmpty()) {
                    parts.add(new Part(Placeholder.TEXT, text.toString()));
                    text.setLength(0);
                }
                parts.add(part);
            }
            i = end + 1;
        }
        if (!text.isEmpty()) {
            parts.add(new Part(Placeholder.TEXT, text.toString()));
        }
        return parts;
    }

    private static Part placeholder(String name) {
        char prefix = name.charAt(0);
        String rest = name.substring(1);
        switch (prefix) {
            case '~':
                return new Part(Placeholder.COOKIE, nonEmpty(rest, name));
            case '>':
                return new Part(Placeholder.REQUEST_HEADER, nonEmpty(rest, name));
            case '<':
                return new Part(Placeholder.RESPONSE_HEADER, nonEmpty(rest, name));
            case '$':
                return new Part(Placeholder.TEXT, rest.equals("hostname") ? hostname() : envOrEmpty(nonEmpty(rest, name)));
            default:
                break;
        }
        Placeholder known = Placeholder.BY_TAG.get(name);
        if (known == null) {
            List<String> tags = Arrays.stream(Placeholder.values()).filter(p -> p.tag != null && p.tag.length() > 1).map(Placeholder::tag)
                    .toList();
            throw new IllegalArgumentException("unknown placeholder {" + name + "}" + Suggestions.didYouMean(name, tags)
                    + "; known: {" + String.join("} {", tags) + "}, {>request-header} {<response-header} {~cookie} {$ENV}");
        }
        return new Part(known, null);
    }

    private static String nonEmpty(String rest, String name) {
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("placeholder {" + name + "} needs a name after " + name);
        }
        return rest;
    }

    private static String envOrEmpty(String name) {
        String value = System.getenv(name);
        return value == null ? "" : value;
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
