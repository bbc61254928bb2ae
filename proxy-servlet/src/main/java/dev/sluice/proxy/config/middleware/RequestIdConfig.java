package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.Problems;

/**
 * {@code requestId} (Pingap's {@code request_id} plugin): keeps the request's id in
 * {@code headerName} or makes one — {@code algorithm} {@code uuid} (version 7, time-ordered) or
 * {@code nanoid} of {@code size} characters (1 to 64).
 */
public record RequestIdConfig(String headerName, String algorithm, Integer size) implements MiddlewareOptions {
    public static final int MAX_NANOID_SIZE = 64;

    public RequestIdConfig {
        headerName = headerName == null || headerName.isEmpty() ? "X-Request-Id" : headerName;
        algorithm = algorithm == null || algorithm.isEmpty() ? "uuid" : algorithm;
        size = size == null ? 8 : size;
    }

    @Override
    public void validate(String path, Problems problems, HttpConfig http) {
        HeaderSyntax.checkName(path + ".headerName", headerName, problems);
        if (!algorithm.equals("uuid") && !algorithm.equals("nanoid")) {
            problems.add(path + ".algorithm", "expected \"uuid\" or \"nanoid\", got \"" + algorithm + "\"");
        }
        if (size < 1 || size > MAX_NANOID_SIZE) {
            problems.add(path + ".size", "must be between 1 and " + MAX_NANOID_SIZE + ", got " + size);
        }
    }
}
