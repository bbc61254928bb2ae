package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.Problems;
import java.util.List;

/**
 * {@code compress}: compresses responses the client accepts in one of {@code encodings} (in the
 * server's order of preference), unless their type is excluded (or not included), they are
 * already encoded, or smaller than {@code minResponseBodyBytes} (1024; 0 or less means the default).
 */
public record CompressConfig(List<String> encodings, String defaultEncoding, List<String> excludedContentTypes,
        List<String> includedContentTypes, Integer minResponseBodyBytes) implements MiddlewareOptions {
    public static final List<String> SUPPORTED = List.of("gzip", "br", "zstd");
    public static final int DEFAULT_MIN_BYTES = 1024;

    public CompressConfig {
        encodings = encodings == null ? SUPPORTED : List.copyOf(encodings);
        defaultEncoding = defaultEncoding == null || defaultEncoding.isEmpty() ? null : defaultEncoding;
        excludedContentTypes = excludedContentTypes == null ? List.of() : List.copyOf(excludedContentTypes);
        includedContentTypes = includedContentTypes == null ? List.of() : List.copyOf(includedContentTypes);
        minResponseBodyBytes = minResponseBodyBytes == null || minResponseBodyBytes <= 0 ? DEFAULT_MIN_BYTES : minResponseBodyBytes;
    }

    @Override
    public void validate(String path, Problems problems, HttpConfig http) {
        if (!excludedContentTypes.isEmpty() && !includedContentTypes.isEmpty()) {
            problems.add(path, "excludedContentTypes and includedContentTypes are mutually exclusive");
        }
        checkTypes(path + ".excludedContentTypes", excludedContentTypes, problems);
        checkTypes(path + ".includedContentTypes", includedContentTypes, problems);
        if (encodings.isEmpty()) {
            problems.add(path + ".encodings", "at least one encoding required");
        }
        for (int i = 0; i < encodings.size(); i++) {
            if (!SUPPORTED.contains(encodings.get(i))) {
                problems.add(path + ".encodings[" + i + "]", "unsupported encoding \"" + encodings.get(i) + "\" (supported: gzip, br, zstd)");
            }
        }
        if (defaultEncoding != null && !encodings.contains(defaultEncoding)) {
            problems.add(path + ".defaultEncoding", "\"" + defaultEncoding + "\" is not one of encodings " + encodings);
        }
    }

    private static void checkTypes(String path, List<String> types, Problems problems) {
        for (int i = 0; i < types.size(); i++) {
            try {
                MediaType.parse(types.get(i));
            } catch (IllegalArgumentException e) {
                problems.add(path + "[" + i + "]", e.getMessage());
            }
        }
    }
}
