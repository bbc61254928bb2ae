package dev.sluice.proxy.middleware;

import dev.sluice.proxy.config.middleware.SourceCriterionConfig;
import jakarta.servlet.http.HttpServletRequest;
import java.util.function.Function;

/** Traefik's {@code sourceCriterion}: the key that groups requests into one source. */
final class Sources {
    private Sources() {}

    /** {@code criterion} is validated and not empty (the middleware applied its default). */
    static Function<HttpServletRequest, String> of(SourceCriterionConfig criterion) {
        if (criterion.requestHeaderName() != null) {
            String name = criterion.requestHeaderName();
            return request -> orEmpty(request.getHeader(name));
        }
        if (criterion.requestHost()) {
            // The Host as the client sent it, port included (Go's Request.Host).
            return request -> {
                String host = request.getHeader("Host");
                return host != null ? host : request.getServerName();
            };
        }
        return ClientIp.strategy(criterion.ipStrategy());
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
