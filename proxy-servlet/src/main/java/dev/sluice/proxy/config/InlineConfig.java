package dev.sluice.proxy.config;

import dev.sluice.proxy.balance.Strategy;
import dev.sluice.proxy.config.middleware.StripPrefixConfig;
import dev.sluice.proxy.rule.RuleParser;
import dev.sluice.proxy.rule.RuleSyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One service described by plain key/value parameters (a WAR's init-params), turned into the same
 * model as a TOML file: a router matching everything, a load balancer over {@code upstreams}, and a
 * {@code stripPrefix} middleware when {@code prefix} is set.
 *
 * <ul>
 *   <li>{@code upstreams}: comma-separated URLs, e.g. {@code http://10.0.0.1:8080, http://10.0.0.2:8080}
 *   <li>{@code strategy}: {@code wrr} (default), {@code random} or {@code p2c}
 *   <li>{@code preserveHost}: forward the client's Host (default true, Traefik's passHostHeader)
 *   <li>{@code prefix}: path prefix stripped before forwarding
 * </ul>
 */
public final class InlineConfig {
    public static final String ROUTER = "inline";
    public static final String SERVICE = "inline";

    private static final RuleParser.HttpRule EVERYTHING = everything();

    private InlineConfig() {}

    private static RuleParser.HttpRule everything() {
        try {
            return RuleParser.compile("PathPrefix(`/`)");
        } catch (RuleSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /** Builds and validates the config; {@code param} returns null for absent parameters. */
    public static SluiceConfig from(UnaryOperator<String> param) throws ConfigException {
        String upstreams = param.apply("upstreams");
        if (upstreams == null || upstreams.isBlank()) {
            throw new ConfigException("upstreams: missing; set init-param \"config\" to a TOML file, or \"upstreams\" to a comma-separated URL list");
        }
        List<LoadBalancerConfig.ServerConfig> servers = new ArrayList<>();
        for (String url : upstreams.split(",")) {
            if (!url.isBlank()) {
                servers.add(new LoadBalancerConfig.ServerConfig(url.trim(), null, null));
            }
        }
        String preserveHost = param.apply("preserveHost");
        Boolean passHost = preserveHost == null ? null : parseBoolean("preserveHost", preserveHost);
        // Read as a file's strategy is, with the same message; its key is the init-param's name.
        Problems problems = new Problems();
        String strategyParam = param.apply("strategy");
        Strategy strategy = null;
        if (strategyParam != null) {
            try {
                strategy = TypedValues.strategy(strategyParam.trim());
            } catch (IllegalArgumentException e) {
                problems.add("strategy", e.getMessage());
            }
        }
        LoadBalancerConfig lb = LoadBalancerConfig.of(servers, passHost, strategy);

        String prefix = param.apply("prefix");
        List<String> middlewares = List.of();
        Map<String, MiddlewareConfig> middlewareConfigs = Map.of();
        if (prefix != null && !prefix.isBlank()) {
            middlewares = List.of("strip-prefix");
            middlewareConfigs = Map.of("strip-prefix", new MiddlewareConfig("stripPrefix", new StripPrefixConfig(List.of(prefix.trim()))));
        }
        RouterConfig router = new RouterConfig(EVERYTHING, SERVICE, null, middlewares, null);
        // The container owns TLS: the same service answers requests it received over TLS.
        RouterConfig tlsRouter = new RouterConfig(EVERYTHING, SERVICE, null, middlewares, null, new RouterTlsConfig(null, null, null));
        SluiceConfig config = new SluiceConfig(Map.of(), new HttpConfig(
                Map.of(ROUTER, router, ROUTER + "-tls", tlsRouter), Map.of(SERVICE, ServiceConfig.of(lb)), middlewareConfigs, Map.of()));
        ConfigValidator.validate(config, problems);
        if (!problems.isEmpty()) {
            // Name the init-params the user wrote, not the model they were turned into.
            throw new ConfigException(problems.messages().stream()
                    .map(p -> p.replaceFirst("^http\\.services\\.inline\\.loadBalancer\\.servers\\[(\\d+)\\]\\.url", "upstreams[$1]"))
                    .toList());
        }
        return config;
    }

    private static boolean parseBoolean(String key, String value) throws ConfigException {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(key + ": expected true or false, got \"" + value + "\"");
        };
    }
}
