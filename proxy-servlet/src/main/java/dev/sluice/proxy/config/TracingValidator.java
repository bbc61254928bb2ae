package dev.sluice.proxy.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks {@code [tracing]}: what the OpenTelemetry SDK would refuse at start (a rate outside 0..1,
 * an endpoint that is no URL, an unreadable PEM file) is a configuration error with its key path.
 */
final class TracingValidator {
    private static final Pattern HEADER = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    static final Pattern HOST_PORT = Pattern.compile("[^/:\\s]+:[0-9]{1,5}|\\[[0-9a-fA-F:.]+\\]:[0-9]{1,5}");

    private TracingValidator() {}

    static void validate(SluiceConfig config, Problems problems) {
        TracingConfig tracing = config.tracing();
        if (tracing == null) {
            return;
        }
        double rate = tracing.sampleRate();
        if (Double.isNaN(rate) || rate < 0 || rate > 1) {
            problems.add("tracing.sampleRate", "must be between 0 and 1, got " + rate);
        }
        headerNames("tracing.capturedRequestHeaders", tracing.capturedRequestHeaders(), problems);
        headerNames("tracing.capturedResponseHeaders", tracing.capturedResponseHeaders(), problems);
        TracingConfig.Http http = tracing.otlp().http();
        if (http != null) {
            String at = "tracing.otlp.http";
            URI uri = null;
            try {
                uri = URI.create(http.endpoint());
            } catch (IllegalArgumentException e) {
                // reported below
            }
            if (uri == null || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                problems.add(at + ".endpoint", "\"" + http.endpoint() + "\" is not an http(s) URL, e.g. http://localhost:4318/v1/traces");
            }
            headers(at + ".headers", http.headers(), problems);
            tls(at + ".tls", http.tls(), problems);
        }
        TracingConfig.Grpc grpc = tracing.otlp().grpc();
        if (grpc != null) {
            String at = "tracing.otlp.grpc";
            if (!HOST_PORT.matcher(grpc.endpoint()).matches()) {
                problems.add(at + ".endpoint", "\"" + grpc.endpoint() + "\" is not host:port, e.g. localhost:4317");
            }
            headers(at + ".headers", grpc.headers(), problems);
            tls(at + ".tls", grpc.tls(), problems);
        }
    }

    private static void headerNames(String path, List<String> names, Problems problems) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i) == null || !HEADER.matcher(names.get(i)).matches()) {
                problems.add(path + "[" + i + "]", "\"" + names.get(i) + "\" is not a header name");
            }
        }
    }

    static void headers(String path, Map<String, String> headers, Problems problems) {
        headers.forEach((name, value) -> {
            if (!HEADER.matcher(name).matches()) {
                problems.add(path + "." + name, "\"" + name + "\" is not a header name");
            } else if (value == null) {
                problems.add(path + "." + name, "needs a value");
            }
        });
    }

    static void tls(String path, TracingConfig.ClientTls tls, Problems problems) {
        if (tls == null) {
            return;
        }
        readable(path + ".ca", tls.ca(), problems);
        readable(path + ".cert", tls.cert(), problems);
        readable(path + ".key", tls.key(), problems);
        if ((tls.cert() == null) != (tls.key() == null)) {
            problems.add(path, "cert and key go together");
        }
    }

    static void readable(String path, String file, Problems problems) {
        if (file != null && !Files.isReadable(Path.of(file))) {
            problems.add(path, "cannot read " + file);
        }
    }
}
