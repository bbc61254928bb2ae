package dev.sluice.proxy.middleware;

import dev.sluice.proxy.config.middleware.HeaderSyntax;
import dev.sluice.proxy.config.middleware.ResponseHeadersConfig;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * {@code responseHeaders}: Pingap's {@code response_headers} plugin. Per header name the operations
 * run in Pingap's order — add (append), remove, set (replace), set if absent — on what the
 * upstream (or Sluice) wrote; renames move what was written under the old name to the new one.
 */
public final class ResponseHeaders implements Filter {
    private final HeaderOverrides overrides;

    public ResponseHeaders(ResponseHeadersConfig config) {
        Map<String, UnaryOperator<List<String>>> steps = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Map<String, String> spelling = new LinkedHashMap<>();
        for (String line : config.addHeaders()) {
            Map.Entry<String, String> header = HeaderSyntax.split(line);
            step(steps, spelling, header.getKey(), HeaderOverrides.appended(List.of(header.getValue())));
        }
        for (String name : config.removeHeaders()) {
            step(steps, spelling, name, HeaderOverrides.removed());
        }
        for (String line : config.setHeaders()) {
            Map.Entry<String, String> header = HeaderSyntax.split(line);
            step(steps, spelling, header.getKey(), HeaderOverrides.fixed(header.getValue()));
        }
        for (String line : config.setHeadersNotExists()) {
            Map.Entry<String, String> header = HeaderSyntax.split(line);
            step(steps, spelling, header.getKey(), HeaderOverrides.byDefault(header.getValue()));
        }
        HeaderOverrides.Builder builder = HeaderOverrides.builder();
        spelling.forEach((key, name) -> builder.rule(name, steps.get(name)::apply));
        for (String line : config.renameHeaders()) {
            Map.Entry<String, String> names = HeaderSyntax.split(line);
            builder.rename(names.getKey(), names.getValue());
        }
        this.overrides = builder.build();
    }

    /** Chains {@code next} after the steps already configured for {@code name}. */
    private static void step(Map<String, UnaryOperator<List<String>>> steps, Map<String, String> spelling, String name,
            UnaryOperator<List<String>> next) {
        steps.merge(name, next, (before, after) -> values -> after.apply(before.apply(values)));
        spelling.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        chain.doFilter(request, overrides.wrap((HttpServletResponse) response));
    }
}
