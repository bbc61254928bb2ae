package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.Problems;
import dev.sluice.proxy.config.Suggestions;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * {@code errors}: when the answer's status is one of {@code status}, its body is replaced by a page
 * fetched from {@code service} at {@code query}.
 *
 * @param status codes and ranges, e.g. {@code ["500,502", "505-599"]}
 * @param statusRewrites code or range → the status the client gets instead, e.g. {@code "502-504" = 500}
 * @param service the service that serves the pages
 * @param query path and query of the page, with {@code {status}}, {@code {originalStatus}} and
 *     {@code {url}} (the request URI, query-escaped); default {@code /}
 * @param errorRequestHeaders the client's headers sent to the page service; unset: all, {@code []}: none
 */
public record ErrorsConfig(List<String> status, Map<String, Integer> statusRewrites, String service, String query,
        List<String> errorRequestHeaders) implements MiddlewareOptions {
    public ErrorsConfig {
        status = status == null ? List.of() : List.copyOf(status);
        statusRewrites = statusRewrites == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(statusRewrites));
        query = query == null || query.isEmpty() ? "/" : query;
        // null (unset) and [] differ: all headers or none.
        errorRequestHeaders = errorRequestHeaders == null ? null : List.copyOf(errorRequestHeaders);
    }

    @Override
    public void validate(String path, Problems problems, HttpConfig http) {
        if (status.isEmpty()) {
            problems.add(path + ".status", "at least one status or range required, e.g. [\"500-599\"]");
        }
        for (int i = 0; i < status.size(); i++) {
            try {
                StatusRanges.parseEntry(status.get(i));
            } catch (IllegalArgumentException e) {
                problems.add(path + ".status[" + i + "]", e.getMessage());
            }
        }
        statusRewrites.forEach((from, to) -> {
            try {
                StatusRanges.parseEntry(from);
            } catch (IllegalArgumentException e) {
                problems.add(path + ".statusRewrites." + from, e.getMessage());
            }
            if (to < 100 || to > 599) {
                problems.add(path + ".statusRewrites." + from, "status must be between 100 and 599, got " + to);
            }
        });
        if (service == null || service.isBlank()) {
            problems.add(path + ".service", "missing service name");
        } else if (!http.services().containsKey(service)) {
            problems.add(path + ".service", "unknown service \"" + service + "\"" + Suggestions.didYouMean(service, http.services().keySet()));
        }
        if (!query.startsWith("/")) {
            problems.add(path + ".query", "must start with \"/\", got \"" + query + "\"");
        }
    }

    @Override
    public MiddlewareOptions plainNames(UnaryOperator<String> plain) {
        return new ErrorsConfig(status, statusRewrites, service == null ? null : plain.apply(service), query, errorRequestHeaders);
    }
}
