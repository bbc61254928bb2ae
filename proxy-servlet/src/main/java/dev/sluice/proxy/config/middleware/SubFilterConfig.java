package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.Problems;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code subFilter} (Pingap's {@code sub_filter} plugin): replaces text in response bodies, as
 * nginx's {@code sub_filter}/{@code subs_filter}. {@code filters} are Pingap's rule strings
 * ({@link SubFilterRule}), applied in order; {@code path} (a regex on the request path, unset =
 * all) and {@code statusCodes} ({@code "200,201"}, unset = all) choose the responses; {@code types}
 * (a Sluice addition, as nginx's {@code sub_filter_types}) the content types, {@code text/html} by
 * default, {@code "*"} for any.
 */
public record SubFilterConfig(List<String> filters, String path, String statusCodes, List<String> types)
        implements MiddlewareOptions {
    public SubFilterConfig {
        filters = filters == null ? List.of() : List.copyOf(filters);
        path = path == null || path.isEmpty() ? null : path;
        statusCodes = statusCodes == null || statusCodes.isBlank() ? null : statusCodes;
        types = types == null ? List.of("text/html") : List.copyOf(types);
    }

    @Override
    public void validate(String at, Problems problems, HttpConfig http) {
        if (filters.isEmpty()) {
            problems.add(at + ".filters", "at least one filter required");
        }
        for (int i = 0; i < filters.size(); i++) {
            try {
                SubFilterRule.parse(filters.get(i));
            } catch (IllegalArgumentException e) {
                problems.add(at + ".filters[" + i + "]", e.getMessage());
            }
        }
        if (path != null) {
            try {
                Pattern.compile(path);
            } catch (PatternSyntaxException e) {
                problems.add(at + ".path", "bad regex \"" + path + "\": " + e.getDescription());
            }
        }
        if (statusCodes != null) {
            for (String code : statusCodes.split(",")) {
                if (!code.trim().matches("[1-5][0-9][0-9]")) {
                    problems.add(at + ".statusCodes", "\"" + code.trim() + "\" is not a status code");
                }
            }
        }
        if (types.isEmpty()) {
            problems.add(at + ".types", "at least one content type required (\"*\" for any)");
        }
        for (int i = 0; i < types.size(); i++) {
            if (!types.get(i).equals("*")) {
                try {
                    MediaType.parse(types.get(i));
                } catch (IllegalArgumentException e) {
                    problems.add(at + ".types[" + i + "]", e.getMessage());
                }
            }
        }
    }

    public List<SubFilterRule> rules() {
        return filters.stream().map(SubFilterRule::parse).toList();
    }
}
