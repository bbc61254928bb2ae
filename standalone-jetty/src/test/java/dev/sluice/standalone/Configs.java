package dev.sluice.standalone;

import dev.sluice.proxy.config.EntryPointConfig;
import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.LoadBalancerConfig;
import dev.sluice.proxy.config.ServiceConfig;
import dev.sluice.proxy.config.SluiceConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Test-side rewrites of a loaded config: loopback addresses, chosen entry points, test upstreams. */
final class Configs {
    private Configs() {}

    /** Keeps only {@code names}, each moved to 127.0.0.1 on a port the OS picks. */
    static SluiceConfig entryPointsOnLoopback(SluiceConfig config, Set<String> names) {
        Map<String, EntryPointConfig> entryPoints = new LinkedHashMap<>();
        config.entryPoints().forEach((name, ep) -> {
            if (names.contains(name)) {
                entryPoints.put(name, ep.withAddress("127.0.0.1:0" + (ep.address().endsWith("/udp") ? "/udp" : ep.address().endsWith("/tcp") ? "/tcp" : "")));
            }
        });
        return config.with(entryPoints, config.http());
    }

    /** Rewrites every load-balancer server URL. */
    static SluiceConfig servers(SluiceConfig config, UnaryOperator<String> url) {
        Map<String, ServiceConfig> services = new LinkedHashMap<>();
        config.http().services().forEach((name, service) -> {
            LoadBalancerConfig lb = service.loadBalancer();
            if (lb == null) {
                services.put(name, service);
                return;
            }
            var servers = lb.servers().stream()
                    .map(s -> new LoadBalancerConfig.ServerConfig(url.apply(s.url()), s.weight(), s.preservePath()))
                    .toList();
            services.put(name, ServiceConfig.of(lb.withServers(servers)));
        });
        HttpConfig http = config.http();
        return config.with(config.entryPoints(), new HttpConfig(http.routers(), services, http.middlewares(), http.serversTransports()));
    }

    /**
     * Entry point "web" on loopback, router "r" for every path through middleware "m" to service "s"
     * (one server, {@code backend}); {@code middleware} declares "m" (e.g. {@code [http.middlewares.m.compress]}).
     */
    static String behindMiddleware(Backend backend, String middleware) {
        return """
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "s"
                middlewares = ["m"]
                [http.services.s.loadBalancer]
                [[http.services.s.loadBalancer.servers]]
                url = "%s"
                """.formatted(backend.url()) + middleware;
    }
}
