package dev.sluice.proxy.observe.events;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One thing that happened to the proxy, as every webhook gets it.
 *
 * <pre>
 * new Event(EventType.SERVER_DOWN, clock.instant(), "api", Map.of("service", "api", "url", "http://10.0.0.1:8080"))
 * </pre>
 *
 * @param type what happened
 * @param time when
 * @param subject what it happened to: a service, a domain, a middleware, a configuration file
 * @param details the facts, by name ({@code url}, {@code error}, {@code resolver}, ...), in a stable order
 */
public record Event(EventType type, Instant time, String subject, Map<String, String> details) {
    public Event {
        details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
        subject = subject == null ? "" : subject;
    }

    /** Details in the order given: {@code details("service", "api", "url", url)}. */
    public static Map<String, String> details(String... namesAndValues) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            out.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return out;
    }

    /** One line for the chat formats: {@code "server.down: api (url http://10.0.0.1:8080)"}. */
    public String summary() {
        StringBuilder line = new StringBuilder(type.wireName());
        if (!subject.isEmpty()) {
            line.append(": ").append(subject);
        }
        if (!details.isEmpty()) {
            line.append(" (");
            boolean first = true;
            for (Map.Entry<String, String> e : details.entrySet()) {
                if (!first) {
                    line.append(", ");
                }
                first = false;
                line.append(e.getKey()).append(' ').append(e.getValue());
            }
            line.append(')');
        }
        return line.toString();
    }
}
