package dev.sluice.proxy.middleware.auth;

import dev.sluice.proxy.rule.QueryString;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A request whose raw query string no longer holds parameter {@code name} (the rest is kept as sent). */
final class QueryParameterHidden extends HttpServletRequestWrapper {
    private final String query;

    QueryParameterHidden(HttpServletRequest request, String name) {
        super(request);
        String raw = request.getQueryString();
        String kept = raw == null ? null : Arrays.stream(raw.split("&"))
                .filter(pair -> !isParameter(pair, name))
                .collect(Collectors.joining("&"));
        this.query = kept == null || kept.isEmpty() ? null : kept;
    }

    private static boolean isParameter(String pair, String name) {
        Map<String, List<String>> parsed = QueryString.parse(pair);
        return parsed.containsKey(name);
    }

    @Override
    public String getQueryString() {
        return query;
    }
}
