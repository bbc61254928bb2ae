package dev.sluice.proxy.observe;

import java.net.URI;

/** The OTLP/HTTP endpoint of one signal, shared by tracing's and metrics' exporters. */
public final class OtlpEndpoint {
    private OtlpEndpoint() {}

    /**
     * {@code endpoint} as given, or with the signal's path ({@code /v1/traces}, {@code /v1/metrics})
     * when it has none: a collector's base URL is often what users write.
     */
    public static String withSignalPath(String endpoint, String signalPath) {
        String path = URI.create(endpoint).getRawPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            return endpoint.replaceAll("/+$", "") + signalPath;
        }
        return endpoint;
    }
}
