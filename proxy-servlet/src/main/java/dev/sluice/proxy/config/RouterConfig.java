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
 */
public record RouterConfig(HttpRule rule, String service, List<String> entryPoints, List<String> middlewares, Integer priority) {
    public RouterConfig {
        entryPoints = Frozen.list(entryPoints);
        middlewares = Frozen.list(middlewares);
    }

    /** The priority Traefik uses: the configured one, else the rule's length. */
    public int effectivePriority() {
        return priority == null || priority == 0 ? (rule == null ? 0 : rule.text().length()) : priority;
    }
}
