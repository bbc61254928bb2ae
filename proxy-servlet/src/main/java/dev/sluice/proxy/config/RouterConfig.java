package dev.sluice.proxy.config;

import dev.sluice.proxy.rule.RuleParser.HttpRule;
import java.util.List;

/**
 * {@code [http.routers.NAME]}.
 *
 * @param rule Traefik v3 rule, e.g. {@code Host(`a.example`) && PathPrefix(`/api`)}, compiled when bound;
 *     null when missing or blank
 * @param service name of the service that serves matching requests
 * @param entryPoints entry points this router listens on; empty means the default ones
 * @param middlewares middleware names, applied in order
 * @param priority higher first; {@code null} or 0 means the length of the rule
 * @param tls present: the router answers on TLS only; absent: on plain HTTP only (unless its entry
 *     point's {@code http.tls} makes every router of it a TLS router)
 */
public record RouterConfig(HttpRule rule, String service, List<String> entryPoints, List<String> middlewares, Integer priority,
        RouterTlsConfig tls) {
    @com.fasterxml.jackson.annotation.JsonCreator
    public RouterConfig {
        entryPoints = Frozen.list(entryPoints);
        middlewares = Frozen.list(middlewares);
    }

    /** A plain-HTTP router. */
    public RouterConfig(HttpRule rule, String service, List<String> entryPoints, List<String> middlewares, Integer priority) {
        this(rule, service, entryPoints, middlewares, priority, null);
    }

    /** The priority Traefik uses: the configured one, else the rule's length. */
    public int effectivePriority() {
        return priority == null || priority == 0 ? (rule == null ? 0 : rule.text().length()) : priority;
    }
}
