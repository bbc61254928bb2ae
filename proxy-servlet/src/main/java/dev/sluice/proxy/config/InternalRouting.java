package dev.sluice.proxy.config;

import dev.sluice.proxy.rule.RuleParser;
import dev.sluice.proxy.rule.RuleSyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Traefik adds to a configuration on its own for {@code [api]}, {@code [ping]} and {@code [metrics.prometheus]}: the
 * {@code traefik} entry point when something is routed there and the user did not declare it, and
 * the internal routers ({@code pkg/provider/traefik/internal.go}):
 * <ul>
 * <li>{@code api@internal}: {@code PathPrefix(`/api`)} to {@code api@internal} on {@code traefik},
 *     priority {@code MaxInt - 1}, with {@code api.insecure};</li>
 * <li>{@code dashboard@internal}: {@code PathPrefix(`/`)} to {@code dashboard@internal}, {@code MaxInt - 2},
 *     with {@code api.insecure} and {@code api.dashboard};</li>
 * <li>{@code debug@internal}: {@code PathPrefix(`/debug`)} to {@code api@internal}, {@code MaxInt - 1},
 *     with {@code api.insecure} and {@code api.debug};</li>
 * <li>{@code ping@internal}: {@code PathPrefix(`/ping`)} to {@code ping@internal} on {@code ping.entryPoint},
 *     priority {@code MaxInt}, unless {@code ping.manualRouting};</li>
 * <li>{@code prometheus@internal}: {@code PathPrefix(`/metrics`)} to {@code prometheus@internal} on
 *     {@code metrics.prometheus.entryPoint}, priority {@code MaxInt}, unless {@code manualRouting}.</li>
 * </ul>
 * Traefik's priorities are Go's 64-bit {@code math.MaxInt}; Sluice's are Java ints, so
 * {@link Integer#MAX_VALUE}: above every priority a user can write all the same.
 *
 * <p>One difference, a security default: Traefik's implicit entry point listens on {@code :8080},
 * every interface; Sluice's on {@code 127.0.0.1:8080}. Declare {@code [entryPoints.traefik]} to
 * choose. The {@code traefik} entry point is never a default one: a router without
 * {@code entryPoints} does not attach to it (Traefik's rule, {@link EntryPointRoles}).
 */
public final class InternalRouting {
    /** Traefik's {@code DefaultInternalEntryPointName}. */
    public static final String ENTRY_POINT = "traefik";
    /** Where the implicit {@code traefik} entry point listens. */
    public static final String DEFAULT_ADDRESS = "127.0.0.1:8080";

    private InternalRouting() {}

    /** {@code config} with the implicit entry point and internal routers; itself when there are none. */
    public static SluiceConfig apply(SluiceConfig config) {
        Map<String, RouterConfig> internal = routers(config);
        if (internal.isEmpty()) {
            return config;
        }
        Map<String, EntryPointConfig> entryPoints = new LinkedHashMap<>(config.entryPoints());
        boolean needed = internal.values().stream().anyMatch(r -> r.entryPoints().contains(ENTRY_POINT));
        if (needed && !entryPoints.containsKey(ENTRY_POINT)) {
            entryPoints.put(ENTRY_POINT, new EntryPointConfig(DEFAULT_ADDRESS, null, null, null));
        }
        Map<String, RouterConfig> routers = new LinkedHashMap<>(config.http().routers());
        routers.putAll(internal);
        HttpConfig http = config.http();
        return config.with(entryPoints, new HttpConfig(routers, http.services(), http.middlewares(), http.serversTransports()));
    }

    /** True for the routers {@link #apply} adds (a user's router cannot be called {@code x@internal}: see the validator). */
    public static boolean isInternalRouter(String name) {
        return name.endsWith(InternalServiceNames.SUFFIX);
    }

    private static Map<String, RouterConfig> routers(SluiceConfig config) {
        Map<String, RouterConfig> out = new LinkedHashMap<>();
        ApiConfig api = config.api();
        if (api != null && api.insecure()) {
            String prefix = api.pathPrefix();
            out.put("api@internal", router("PathPrefix(`" + prefix + "/api`)", "api@internal", ENTRY_POINT, Integer.MAX_VALUE - 1));
            if (api.dashboard()) {
                out.put("dashboard@internal", router("PathPrefix(`" + (prefix.isEmpty() ? "/" : prefix) + "`)", "dashboard@internal",
                        ENTRY_POINT, Integer.MAX_VALUE - 2));
            }
            if (api.debug()) {
                out.put("debug@internal", router("PathPrefix(`" + prefix + "/debug`)", "api@internal", ENTRY_POINT, Integer.MAX_VALUE - 1));
            }
        }
        PingEndpointConfig ping = config.ping();
        if (ping != null && !ping.manualRouting()) {
            out.put("ping@internal", router("PathPrefix(`/ping`)", "ping@internal", ping.entryPoint(), Integer.MAX_VALUE));
        }
        PrometheusConfig prometheus = config.metrics().prometheus();
        if (prometheus != null && !prometheus.manualRouting()) {
            out.put("prometheus@internal", router("PathPrefix(`/metrics`)", "prometheus@internal", prometheus.entryPoint(),
                    Integer.MAX_VALUE));
        }
        return out;
    }

    private static RouterConfig router(String rule, String service, String entryPoint, int priority) {
        try {
            return new RouterConfig(RuleParser.compile(rule), service, List.of(entryPoint), List.of(), priority);
        } catch (RuleSyntaxException e) {
            throw new IllegalStateException("internal rule " + rule, e);
        }
    }
}
