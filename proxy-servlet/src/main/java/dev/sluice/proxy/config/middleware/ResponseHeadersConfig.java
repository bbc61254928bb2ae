package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.Problems;
import java.util.List;

/**
 * {@code responseHeaders} (Pingap's {@code response_headers} plugin): {@code "Name:value"} lines to
 * add (appended to what the upstream sends), set (replacing it), set only where the upstream sent
 * none ({@code setHeadersNotExists}); names to remove; {@code "Old:New"} pairs to rename.
 */
public record ResponseHeadersConfig(
        List<String> addHeaders,
        List<String> setHeaders,
        List<String> setHeadersNotExists,
        List<String> removeHeaders,
        List<String> renameHeaders) implements MiddlewareOptions {

    public ResponseHeadersConfig {
        addHeaders = addHeaders == null ? List.of() : List.copyOf(addHeaders);
        setHeaders = setHeaders == null ? List.of() : List.copyOf(setHeaders);
        setHeadersNotExists = setHeadersNotExists == null ? List.of() : List.copyOf(setHeadersNotExists);
        removeHeaders = removeHeaders == null ? List.of() : List.copyOf(removeHeaders);
        renameHeaders = renameHeaders == null ? List.of() : List.copyOf(renameHeaders);
    }

    @Override
    public void validate(String path, Problems problems, HttpConfig http) {
        if (addHeaders.isEmpty() && setHeaders.isEmpty() && setHeadersNotExists.isEmpty() && removeHeaders.isEmpty()
                && renameHeaders.isEmpty()) {
            problems.add(path, "no option set: give addHeaders, setHeaders, setHeadersNotExists, removeHeaders or renameHeaders");
        }
        checkLines(path + ".addHeaders", addHeaders, problems);
        checkLines(path + ".setHeaders", setHeaders, problems);
        checkLines(path + ".setHeadersNotExists", setHeadersNotExists, problems);
        checkLines(path + ".renameHeaders", renameHeaders, problems);
        for (int i = 0; i < removeHeaders.size(); i++) {
            HeaderSyntax.checkName(path + ".removeHeaders[" + i + "]", removeHeaders.get(i), problems);
        }
        for (int i = 0; i < renameHeaders.size(); i++) {
            var pair = HeaderSyntax.split(renameHeaders.get(i));
            if (pair != null && !HeaderSyntax.isName(pair.getValue())) {
                problems.add(path + ".renameHeaders[" + i + "]", "not a valid header name: \"" + pair.getValue() + "\"");
            }
        }
    }

    private static void checkLines(String path, List<String> lines, Problems problems) {
        for (int i = 0; i < lines.size(); i++) {
            HeaderSyntax.checkLine(path + "[" + i + "]", lines.get(i), problems);
        }
    }
}
