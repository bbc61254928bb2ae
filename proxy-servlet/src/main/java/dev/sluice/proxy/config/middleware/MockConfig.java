package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.Problems;
import java.time.Duration;
import java.util.List;

/**
 * {@code mock} (Pingap's plugin): answers every request (or only those for exactly {@code path})
 * with {@code status} (200), {@code headers} ({@code "Name: Value"}) and the body {@code data},
 * after {@code delay} if set. The upstream is never called for what it answers.
 */
public record MockConfig(String path, Integer status, List<String> headers, String data, Duration delay) implements MiddlewareOptions {
    public MockConfig {
        path = path == null ? "" : path;
        status = status == null ? 200 : status;
        headers = headers == null ? List.of() : List.copyOf(headers);
        data = data == null ? "" : data;
        delay = delay == null ? Duration.ZERO : delay;
    }

    @Override
    public void validate(String key, Problems problems, HttpConfig http) {
        if (!path.isEmpty() && !path.startsWith("/")) {
            problems.add(key + ".path", "must start with \"/\" (or be left out to answer every path), got \"" + path + "\"");
        }
        if (status < 100 || status > 599) {
            problems.add(key + ".status", "must be an HTTP status between 100 and 599, got " + status);
        }
        for (int i = 0; i < headers.size(); i++) {
            String header = headers.get(i);
            int colon = header.indexOf(':');
            if (colon <= 0 || !header.substring(0, colon).trim().matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                problems.add(key + ".headers[" + i + "]", "expected \"Name: Value\", got \"" + header + "\"");
            }
        }
        if (delay.isNegative()) {
            problems.add(key + ".delay", "must not be negative");
        }
    }
}
