package dev.sluice.proxy.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.sluice.proxy.observe.events.EventType;
import dev.sluice.proxy.config.middleware.HeaderSyntax;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code [events]} (a Sluice extension, Pingap's webhook notifications in Traefik's style): what
 * happens to the proxy (configuration reloaded or rejected, a server up or down, a certificate issued,
 * renewed or failed, a rate-limit storm, the process started or stopping) posted to webhooks. Each
 * webhook has its own queue and thread: a slow or dead one delays neither traffic nor the others.
 *
 * <pre>
 * [events.rateLimitStorm]
 * threshold = 100            # refusals by one rateLimit middleware within a window
 * window = "10s"
 *
 * [events.webhooks.ops]
 * url = "https://hooks.slack.com/services/T000/B000/XXXX"
 * format = "slack"           # json (default) | slack | discord | wecom | dingtalk | feishu
 * events = ["server.down", "server.up", "config.rejected"]   # default: every type
 * </pre>
 *
 * @param webhooks the targets, by name (the name is only for logs and key paths)
 * @param rateLimitStorm when refusals become a {@code ratelimit.storm} event
 */
public record EventsConfig(Map<String, Webhook> webhooks, RateLimitStorm rateLimitStorm) {
    /** No {@code [events]}: nothing is sent. */
    public static final EventsConfig NONE = new EventsConfig(null, null);

    public EventsConfig {
        webhooks = Frozen.map(webhooks);
        rateLimitStorm = rateLimitStorm == null ? RateLimitStorm.DEFAULT : rateLimitStorm;
    }

    /**
     * {@code [events.webhooks.NAME]}: one HTTP endpoint events are POSTed to.
     *
     * @param url where to; {@code http} or {@code https}
     * @param format the payload's shape; default {@code json} (Sluice's own)
     * @param events the event types sent; empty or absent: all of them
     * @param timeout for one attempt, connecting included; default 5s
     * @param headers added to every request (an {@code Authorization} token, say)
     * @param maxRetries attempts after the first when the answer is 5xx or the connection fails (never after a 4xx); default 3
     * @param retryBackoff the wait before the first retry, doubled for each next one; default 1s
     * @param queueSize events waiting for this webhook at most; beyond, new ones are dropped and counted; default 1000
     */
    public record Webhook(URI url, Format format, List<EventType> events, Duration timeout, Map<String, String> headers,
            Integer maxRetries, Duration retryBackoff, Integer queueSize) {
        /**
         * {@code url} as logs and errors may show it: scheme, host and port, the rest elided. A
         * webhook's path or query is often its credential (Slack's {@code /services/T…/B…/token}).
         */
        public static String shown(URI url) {
            if (url.getRawAuthority() == null) {
                return (url.getScheme() == null ? "" : url.getScheme() + ":") + "…";
            }
            String host = url.getHost() != null ? url.getHost() : url.getRawAuthority().replaceAll("^.*@", "");
            return url.getScheme() + "://" + host + (url.getPort() >= 0 ? ":" + url.getPort() : "") + "/…";
        }

        public Webhook {
            if (url == null) {
                throw new IllegalArgumentException("url: required");
            }
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
                throw new IllegalArgumentException("url: expected an http:// or https:// URL with a host, got \"" + shown(url) + "\"");
            }
            format = format == null ? Format.JSON : format;
            events = Frozen.list(events);
            timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout: must be positive, got " + timeout);
            }
            headers = Frozen.map(headers);
            // Checked here, not at the first delivery: a bad name would fail every event. The error names the
            // header, never its value (often the webhook's credential).
            headers.forEach((name, value) -> {
                if (!HeaderSyntax.isName(name)) {
                    throw new IllegalArgumentException("headers: not a valid header name: \"" + name + "\"");
                }
                if (!HeaderSyntax.isValue(value)) {
                    throw new IllegalArgumentException("headers." + name + ": header values cannot contain CR, LF or NUL");
                }
            });
            maxRetries = maxRetries == null ? 3 : maxRetries;
            if (maxRetries < 0 || maxRetries > 20) {
                throw new IllegalArgumentException("maxRetries: expected 0 to 20, got " + maxRetries);
            }
            retryBackoff = retryBackoff == null ? Duration.ofSeconds(1) : retryBackoff;
            if (retryBackoff.isNegative()) {
                throw new IllegalArgumentException("retryBackoff: must not be negative");
            }
            queueSize = queueSize == null ? 1000 : queueSize;
            if (queueSize < 1) {
                throw new IllegalArgumentException("queueSize: must be 1 or more, got " + queueSize);
            }
        }

        /** The types this webhook is sent, decided once. */
        public Set<EventType> accepted() {
            return events.isEmpty() ? EnumSet.allOf(EventType.class) : EnumSet.copyOf(events);
        }
    }

    /**
     * {@code [events.rateLimitStorm]}: a {@code rateLimit} middleware that refuses more than
     * {@code threshold} requests within one {@code window} makes one {@code ratelimit.storm} event for
     * that window.
     *
     * @param threshold refusals per window; default 100
     * @param window default 10s
     */
    public record RateLimitStorm(Integer threshold, Duration window) {
        public static final RateLimitStorm DEFAULT = new RateLimitStorm(null, null);

        public RateLimitStorm {
            threshold = threshold == null ? 100 : threshold;
            if (threshold < 1) {
                throw new IllegalArgumentException("threshold: must be 1 or more, got " + threshold);
            }
            window = window == null ? Duration.ofSeconds(10) : window;
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("window: must be positive, got " + window);
            }
        }
    }

    /** A webhook payload's shape. */
    public enum Format {
        /** Sluice's own: {@code {"type", "time", "subject", "details", "text"}}. */
        JSON,
        /** {@code {"text": ...}} */
        SLACK,
        /** {@code {"content": ...}} */
        DISCORD,
        /** WeCom (WeChat Work) robot markdown. */
        WECOM,
        /** DingTalk robot markdown. */
        DINGTALK,
        /** Feishu (Lark) bot text. */
        FEISHU;

        @JsonCreator
        public static Format of(String name) {
            for (Format format : values()) {
                if (format.name().equalsIgnoreCase(name)) {
                    return format;
                }
            }
            List<String> names = Arrays.stream(values()).map(f -> f.name().toLowerCase(Locale.ROOT)).toList();
            throw new IllegalArgumentException("unknown format \"" + name + "\"" + Suggestions.didYouMean(name, names)
                    + "; expected one of " + String.join(", ", names));
        }
    }
}
