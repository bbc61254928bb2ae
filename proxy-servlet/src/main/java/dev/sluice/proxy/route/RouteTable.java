package dev.sluice.proxy.route;

import dev.sluice.proxy.rule.RuleRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The routers of one entry point, sorted by descending priority and then by name, so that the
 * order — and therefore the winner among overlapping rules — never depends on map iteration.
 * The first router whose rule matches wins, among the TLS routers for a request that came over
 * TLS and among the others for a plain one (Traefik keeps them in separate tables too).
 */
public final class RouteTable {
    private static final Comparator<Router> ORDER =
            Comparator.comparingInt(Router::priority).reversed().thenComparing(Router::name);

    private final Router[] routers;

    public RouteTable(Collection<Router> routers) {
        List<Router> sorted = new ArrayList<>(routers);
        sorted.sort(ORDER);
        this.routers = sorted.toArray(Router[]::new);
    }

    /**
     * The first matching router, or {@code null} (404).
     *
     * @param secure the request arrived over TLS
     */
    public Router match(RuleRequest request, boolean secure) {
        for (Router router : routers) {
            if (router.tls() == secure && router.rule().matches(request)) {
                return router;
            }
        }
        return null;
    }

    /** The routers in matching order. */
    public List<Router> routers() {
        return List.of(routers);
    }
}
