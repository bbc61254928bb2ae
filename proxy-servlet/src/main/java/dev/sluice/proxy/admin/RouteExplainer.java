package dev.sluice.proxy.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.proxy.config.EntryPointAddress;
import dev.sluice.proxy.config.EntryPointConfig;
import dev.sluice.proxy.config.EntryPointRoles;
import dev.sluice.proxy.config.InternalRouting;
import dev.sluice.proxy.config.InternalServiceNames;
import dev.sluice.proxy.config.MiddlewareConfig;
import dev.sluice.proxy.config.RouterConfig;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.config.middleware.ChainConfig;
import dev.sluice.proxy.middleware.AddPrefix;
import dev.sluice.proxy.middleware.ReplacePath;
import dev.sluice.proxy.middleware.ReplacePathRegex;
import dev.sluice.proxy.middleware.StripPrefix;
import dev.sluice.proxy.middleware.StripPrefixRegex;
import dev.sluice.proxy.route.Router;
import dev.sluice.proxy.rule.RuleTrace;
import dev.sluice.proxy.runtime.Snapshot;
import dev.sluice.proxy.service.HttpService;
import dev.sluice.proxy.service.StaticSite;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * The route explainer (Sluice's own; no other proxy has one): for a request that is not sent,
 * which router of each entry point wins, every router in the order they are tried with the reason
 * each lost (the matcher that failed and what the request had, a TLS mismatch, or a router before
 * it that matched), the winner's middleware chain, the path the upstream would get after the path
 * middlewares ({@code stripPrefix}, {@code stripPrefixRegex}, {@code addPrefix}, {@code replacePath},
 * {@code replacePathRegex}; the others are not run), and the server the balancer would pick now —
 * without moving a round-robin on ({@link HttpService#peek}) — with its health.
 *
 * <pre>
 * GET /api/explain?method=GET&amp;url=https://api.example.com/v1/users&amp;header=X-Canary:on&amp;clientIp=10.0.0.7
 * </pre>
 */
public final class RouteExplainer {
    private static final Class<?>[] PATH_MIDDLEWARES = {StripPrefix.class, StripPrefixRegex.class, AddPrefix.class, ReplacePath.class,
            ReplacePathRegex.class};

    private RouteExplainer() {}

    /** The explanation as JSON: {@code request}, then one entry per entry point explained. */
    public static ObjectNode explain(Snapshot snapshot, ExplainRequest request) {
        SluiceConfig config = snapshot.config();
        ObjectNode out = ApiService.JSON.createObjectNode();
        ObjectNode req = out.putObject("request");
        req.put("method", request.method());
        req.put("url", request.url().toString());
        req.put("tls", request.secure());
        req.put("clientIp", request.clientIp());
        ArrayNode headers = req.putArray("headers");
        request.headers().forEach(h -> headers.add(h.name() + ": " + h.value()));
        ArrayNode results = out.putArray("entryPoints");
        for (String entryPoint : entryPoints(config, request)) {
            results.add(explain(snapshot, entryPoint, request));
        }
        ConfigJson.redact(out);
        return out;
    }

    /** The entry points asked for: the one named, those listening on the URL's port, else every HTTP one; null alone in a WAR. */
    private static List<String> entryPoints(SluiceConfig config, ExplainRequest request) {
        if (request.entryPoint() != null) {
            if (!config.entryPoints().containsKey(request.entryPoint())) {
                throw new IllegalArgumentException("entryPoint: unknown entry point \"" + request.entryPoint() + "\"");
            }
            return List.of(request.entryPoint());
        }
        if (config.entryPoints().isEmpty()) {
            List<String> war = new ArrayList<>();
            war.add(null);
            return war;
        }
        List<String> http = EntryPointRoles.of(config).all(EntryPointRoles.Role.HTTP);
        List<String> byPort = http.stream().filter(name -> port(config.entryPoints().get(name)) == request.port()).toList();
        if (!byPort.isEmpty()) {
            return byPort;
        }
        return http.stream().filter(name -> !name.equals(InternalRouting.ENTRY_POINT)).toList();
    }

    private static int port(EntryPointConfig ep) {
        try {
            return EntryPointAddress.parse(ep.address()).port();
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    private static ObjectNode explain(Snapshot snapshot, String entryPoint, ExplainRequest request) {
        ObjectNode out = ApiService.JSON.createObjectNode();
        if (entryPoint == null) {
            out.putNull("entryPoint");
        } else {
            out.put("entryPoint", entryPoint);
        }
        ExplainedRequest rule = new ExplainedRequest(request);
        SluiceConfig config = snapshot.config();
        Router winner = null;
        ArrayNode candidates = out.putArray("candidates");
        for (Router router : snapshot.routes(entryPoint).routers()) {
            ObjectNode c = candidates.addObject();
            c.put("router", ApiModel.qualified(router.name()));
            c.put("priority", router.priority());
            RouterConfig routerConfig = config.http().routers().get(router.name());
            c.put("rule", routerConfig != null ? routerConfig.rule().text() : router.rule().toString());
            c.put("tls", router.tls());
            if (router.tls() != request.secure()) {
                c.put("matched", false);
                c.put("reason", router.tls() ? "a TLS router; the request is plain HTTP" : "a plain-HTTP router; the request came over TLS");
                continue;
            }
            RuleTrace.Step step = RuleTrace.evaluate(router.rule(), rule);
            c.put("matched", step.matched());
            if (!step.matched()) {
                c.put("reason", "rule did not match: " + String.join("; ", step.failures()));
            } else if (winner == null) {
                winner = router;
                c.put("reason", "wins: the first router, in priority order, whose rule matches");
            } else {
                c.put("reason", "matches too, but " + ApiModel.qualified(winner.name()) + " is tried first ("
                        + (winner.priority() != router.priority() ? "priority " + winner.priority() + " > " + router.priority()
                                : "same priority " + router.priority() + ", names in order") + ")");
            }
        }
        if (winner == null) {
            out.putNull("router");
            out.put("status", 404);
            out.put("answer", "no router matches: 404 page not found");
            return out;
        }
        out.put("router", ApiModel.qualified(winner.name()));
        ArrayNode middlewares = out.putArray("middlewares");
        List<String> names = new ArrayList<>();
        EntryPointConfig ep = entryPoint == null ? null : config.entryPoints().get(entryPoint);
        if (ep != null) {
            names.addAll(ep.http().middlewares());
        }
        names.addAll(winner.middlewares());
        expand(config, names, middlewares);
        HttpServletRequest rewritten = rewrite(snapshot.middlewares(entryPoint, winner), rule);
        String path = rewritten.getRequestURI();
        String query = rewritten.getQueryString();
        out.put("path", path + (query == null ? "" : "?" + query));
        out.put("service", winner.service());
        HttpService service = snapshot.service(winner.service());
        ObjectNode upstream = out.putObject("upstream");
        if (InternalServiceNames.isInternal(winner.service())) {
            upstream.put("answeredBySluice", winner.service());
            return out;
        }
        if (service instanceof StaticSite) {
            upstream.put("answeredBySluice", "static files");
            return out;
        }
        HttpService.Target target = service.peek(rewritten);
        if (target == null) {
            upstream.putNull("server");
            upstream.put("status", 503);
            upstream.put("answer", "no server available: 503 Service Unavailable");
            return out;
        }
        upstream.put("server", target.server().url());
        upstream.put("serverStatus", target.server().isUp() ? "UP" : "DOWN");
        upstream.put("loadBalancer", target.balancer().name());
        upstream.put("url", target.server().origin() + target.server().upstreamPath(path.isEmpty() ? "/" : path, query));
        upstream.put("note", "the pick of this moment; round-robin was not moved on, random strategies may pick another");
        return out;
    }

    /** The middleware names in order, each {@code chain} followed by its members. */
    private static void expand(SluiceConfig config, List<String> names, ArrayNode out) {
        for (String name : names) {
            MiddlewareConfig m = config.http().middlewares().get(name);
            if (m != null && m.options() instanceof ChainConfig chain) {
                expand(config, chain.middlewares(), out);
            } else {
                out.add(ApiModel.qualified(name) + (m == null ? "" : " (" + m.type() + ")"));
            }
        }
    }

    /** The request as the path middlewares of {@code chain} leave it; the others are skipped (they may answer, or wait). */
    private static HttpServletRequest rewrite(Filter[] chain, HttpServletRequest request) {
        HttpServletRequest[] current = {request};
        if (chain == null) {
            return request;
        }
        for (Filter filter : chain) {
            if (!isPathMiddleware(filter)) {
                continue;
            }
            try {
                filter.doFilter(current[0], NO_RESPONSE, (req, res) -> current[0] = (HttpServletRequest) req);
            } catch (Exception e) {
                throw new IllegalStateException("path middleware " + filter.getClass().getSimpleName() + " failed: " + e.getMessage(), e);
            }
        }
        return current[0];
    }

    private static boolean isPathMiddleware(Filter filter) {
        for (Class<?> type : PATH_MIDDLEWARES) {
            if (type.isInstance(filter)) {
                return true;
            }
        }
        return false;
    }

    /** Path middlewares never write to the response; if one did, this swallows it. */
    private static final HttpServletResponse NO_RESPONSE = (HttpServletResponse) Proxy.newProxyInstance(
            RouteExplainer.class.getClassLoader(), new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                Class<?> type = method.getReturnType();
                if (type == boolean.class) {
                    return false;
                }
                if (type == int.class) {
                    return 0;
                }
                if (type == long.class) {
                    return 0L;
                }
                return null;
            });
}
