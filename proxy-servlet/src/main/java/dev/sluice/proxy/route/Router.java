package dev.sluice.proxy.route;

import dev.sluice.proxy.rule.Rule;
import java.util.List;

/**
 * A compiled router: its rule, priority and what it leads to.
 *
 * @param name the router's name in configuration (ties in priority are broken by name)
 * @param priority higher is tried first
 * @param rule the compiled rule
 * @param service the service name
 * @param middlewares the middleware names, in order
 * @param tls a TLS router: it matches only requests that arrived over TLS; a plain one only the others
 */
public record Router(String name, int priority, Rule rule, String service, List<String> middlewares, boolean tls) {
    public Router {
        middlewares = List.copyOf(middlewares);
    }
}
