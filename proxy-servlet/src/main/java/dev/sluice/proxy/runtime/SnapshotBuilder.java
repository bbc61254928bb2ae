package dev.sluice.proxy.runtime;

import dev.sluice.proxy.config.EntryPointRoles;
import dev.sluice.proxy.config.EntryPointConfig;
import dev.sluice.proxy.config.HttpTls;
import dev.sluice.proxy.config.InternalRouting;
import dev.sluice.proxy.config.InternalServiceNames;
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
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/** Builds a {@link Snapshot} from a configuration that {@code ConfigValidator} accepted. */
final class SnapshotBuilder {
    private SnapshotBuilder() {}

    /**
     * Builds without side effects on traffic: nothing starts until {@link Snapshot#start()}; objects
     * whose configuration is unchanged are taken over through {@code carryover}.
     *
     * @param currentServices the services of whichever snapshot serves when a middleware asks
     * @param internal builds the handler of an {@code @internal} service a router names
     */
    static Snapshot build(SluiceConfig config, Executor executor, Carryover carryover, Function<String, HttpService> currentServices,
            ToIntFunction<String> listening, Function<String, HttpService> internal) {
        UpstreamClients clients = UpstreamClients.build(config.http().serversTransports(), executor, carryover);
        ServiceBuilder serviceBuilder = new ServiceBuilder(config.http().services(), clients, carryover);
        try {
            return build(config, clients, serviceBuilder, carryover, currentServices, listening, internal);
        } catch (RuntimeException | Error e) {
            // What the tree registered on states that outlive it (health listeners) must not stay behind.
            Snapshot.closeAll(serviceBuilder.closeables());
            throw e;
        }
    }

    private static Snapshot build(SluiceConfig config, UpstreamClients clients, ServiceBuilder serviceBuilder, Carryover carryover,
            Function<String, HttpService> currentServices, ToIntFunction<String> listening, Function<String, HttpService> internal) {
        Map<String, HttpService> services = new HashMap<>(serviceBuilder.buildAll());
        config.http().routers().values().stream().map(RouterConfig::service).filter(InternalServiceNames::isInternal).distinct()
                .forEach(name -> services.put(name, internal.apply(name)));

        List<AutoCloseable> closeables = new ArrayList<>(serviceBuilder.closeables());
        MiddlewareChains middlewares = MiddlewareChains.build(config.http().middlewares(), currentServices,
                clients.get(UpstreamClients.DEFAULT), carryover);

        List<String> defaults = EntryPointRoles.of(config).attach(EntryPointRoles.Role.HTTP, List.of());
        Map<String, List<Router>> byEntryPoint = new HashMap<>();
        List<Router> all = new ArrayList<>();
        Map<String, Filter[]> chains = new HashMap<>();
        // Entry point → router → chain, for the entry points that prepend middlewares (and redirections).
        Map<String, Map<String, Filter[]>> entryChains = new HashMap<>();
        config.http().routers().forEach((name, routerConfig) -> {
            // In a WAR (no entry points) only the router's own tls counts; the container owns TLS. The
            // generated internal routers belong to the traefik entry point only: a WAR's one table would
            // put the API on the application's port.
            if (!InternalRouting.isInternalRouter(name)) {
                all.add(router(name, routerConfig, routerConfig.tls() != null));
            }
            chains.put(name, middlewares.chain(routerConfig.middlewares()));
            List<String> entryPoints = routerConfig.entryPoints().isEmpty() ? defaults : routerConfig.entryPoints();
            for (String entryPoint : entryPoints) {
                EntryPointConfig ep = config.entryPoints().get(entryPoint);
                boolean tls = HttpTls.of(routerConfig, ep) != null;
                byEntryPoint.computeIfAbsent(entryPoint, k -> new ArrayList<>()).add(router(name, routerConfig, tls));
                List<String> prepended = ep == null ? List.of() : ep.http().middlewares();
                if (!prepended.isEmpty()) {
                    List<String> names = new ArrayList<>(prepended);
                    names.addAll(routerConfig.middlewares());
                    entryChains.computeIfAbsent(entryPoint, k -> new HashMap<>()).put(name, middlewares.chain(names));
                }
            }
        });
        config.entryPoints().forEach((name, ep) -> {
            EntryPointConfig.Redirections redirections = ep.http().redirections();
            // A target that names no entry point is a warning of the configuration: no redirection then, as in Traefik.
            if (redirections != null && redirections.entryPoint() != null && redirections.entryPoint().to() != null
                    && (redirections.entryPoint().to().startsWith(":") || config.entryPoints().containsKey(redirections.entryPoint().to()))) {
                Router redirect = Redirections.router(name, redirections.entryPoint());
                byEntryPoint.computeIfAbsent(name, k -> new ArrayList<>()).add(redirect);
                entryChains.computeIfAbsent(name, k -> new HashMap<>()).put(redirect.name(), new Filter[] {Redirections.filter(config, redirections.entryPoint(), listening)});
                services.computeIfAbsent(Redirections.NOOP, internal);
            }
        });
        Map<String, RouteTable> tables = new HashMap<>();
        byEntryPoint.forEach((entryPoint, routers) -> tables.put(entryPoint, new RouteTable(routers)));

        Map<String, ForwardingPolicy> forwarding = new HashMap<>();
        config.entryPoints().forEach((name, ep) -> forwarding.put(name, ForwardingPolicy.of(ep.forwardedHeaders())));
        return new Snapshot(config, tables, new RouteTable(all), services, chains, entryChains, forwarding, clients, serviceBuilder.startActions(),
                closeables);
    }

    private static Router router(String name, RouterConfig config, boolean tls) {
        return new Router(name, config.effectivePriority(), config.rule().matcher(), config.service(), config.middlewares(), tls);
    }
}
