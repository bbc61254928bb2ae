package dev.sluice.proxy.runtime;

import dev.sluice.proxy.config.EntryPointRoles;
import dev.sluice.proxy.config.EntryPointConfig;
import dev.sluice.proxy.config.RouterConfig;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.route.RouteTable;
import dev.sluice.proxy.route.Router;
import dev.sluice.proxy.service.ForwardingPolicy;
import dev.sluice.proxy.service.HttpService;
import dev.sluice.proxy.service.ServiceBuilder;
import dev.sluice.proxy.transport.UpstreamClients;
import jakarta.servlet.Filter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds a {@link Snapshot} from a configuration that {@code ConfigValidator} accepted. */
final class SnapshotBuilder {
    private SnapshotBuilder() {}

    static Snapshot build(SluiceConfig config, UpstreamClients clients) {
        ServiceBuilder serviceBuilder = new ServiceBuilder(config.http().services(), clients);
        Map<String, HttpService> services = serviceBuilder.buildAll();

        List<AutoCloseable> closeables = new ArrayList<>(serviceBuilder.closeables());
        MiddlewareChains middlewares = MiddlewareChains.build(config.http().middlewares(), services, clients, closeables);

        List<String> defaults = EntryPointRoles.of(config).attach(EntryPointRoles.Role.HTTP, List.of());
        Map<String, List<Router>> byEntryPoint = new HashMap<>();
        List<Router> all = new ArrayList<>();
        Map<String, Filter[]> chains = new HashMap<>();
        config.http().routers().forEach((name, routerConfig) -> {
            Router router = router(name, routerConfig);
            all.add(router);
            chains.put(name, middlewares.chain(routerConfig.middlewares()));
            List<String> entryPoints = routerConfig.entryPoints().isEmpty() ? defaults : routerConfig.entryPoints();
            for (String entryPoint : entryPoints) {
                byEntryPoint.computeIfAbsent(entryPoint, k -> new ArrayList<>()).add(router);
                EntryPointConfig ep = config.entryPoints().get(entryPoint);
                List<String> prepended = ep == null ? List.of() : ep.http().middlewares();
                if (!prepended.isEmpty()) {
                    List<String> names = new ArrayList<>(prepended);
                    names.addAll(routerConfig.middlewares());
                    chains.put(entryPoint + "/" + name, middlewares.chain(names));
                }
            }
        });
        Map<String, RouteTable> tables = new HashMap<>();
        byEntryPoint.forEach((entryPoint, routers) -> tables.put(entryPoint, new RouteTable(routers)));

        Map<String, ForwardingPolicy> forwarding = new HashMap<>();
        config.entryPoints().forEach((name, ep) -> forwarding.put(name, ForwardingPolicy.of(ep.forwardedHeaders())));
        return new Snapshot(tables, new RouteTable(all), services, chains, forwarding, closeables);
    }

    private static Router router(String name, RouterConfig config) {
        return new Router(name, config.effectivePriority(), config.rule().matcher(), config.service(), config.middlewares());
    }
}
