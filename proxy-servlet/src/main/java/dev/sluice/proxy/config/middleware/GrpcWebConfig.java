package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.Problems;
import java.util.List;

/**
 * {@code grpcWeb} (Traefik's; also Pingap's {@code grpc-web} plugin): gRPC-Web requests from browsers
 * ({@code application/grpc-web}, and {@code application/grpc-web-text} in base64) are sent upstream
 * as gRPC, the answer comes back as gRPC-Web with its trailers in the body. {@code allowOrigins}
 * are the origins whose CORS requests are allowed ({@code *} for any); none by default.
 */
public record GrpcWebConfig(List<String> allowOrigins) implements MiddlewareOptions {
    public GrpcWebConfig {
        allowOrigins = allowOrigins == null ? List.of() : List.copyOf(allowOrigins);
    }

    @Override
    public void validate(String path, Problems problems, HttpConfig http) {
        for (int i = 0; i < allowOrigins.size(); i++) {
            String origin = allowOrigins.get(i);
            if (origin == null || origin.isBlank()) {
                problems.add(path + ".allowOrigins[" + i + "]", "must be an origin such as https://app.example.com, or *");
            }
        }
    }
}
