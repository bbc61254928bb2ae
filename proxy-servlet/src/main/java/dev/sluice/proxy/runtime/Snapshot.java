package dev.sluice.proxy.runtime;

import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.route.RouteTable;
import dev.sluice.proxy.route.Router;
import dev.sluice.proxy.service.ForwardingPolicy;
import dev.sluice.proxy.service.HttpService;
import dev.sluice.proxy.transport.UpstreamClients;
import jakarta.servlet.Filter;
import java.util.List;
import java.util.Map;

/**
 * Everything a request needs, built once from one configuration and never changed: a request is
 * served by the snapshot it started with, whatever happens to the configuration meanwhile.
 */
public final class Snapshot {
    private final Map<String, RouteTable> tables;
    private final RouteTable allRouters;
    private final Map<String, HttpService> services;
    private final Map<String, Filter[]> chains;
    /** Entry point → router → chain where the entry point adds middlewares of its own: two lookups, no key built per request. */
    private final Map<String, Map<String, Filter[]>> entryChains;
    private final Map<String, ForwardingPolicy> forwarding;
    private final UpstreamClients clients;
    private final SluiceConfig config;
    private final List<Runnable> startActions;
    private final List<AutoCloseable> closeables;

    Snapshot(SluiceConfig config, Map<String, RouteTable> tables, RouteTable allRouters, Map<String, HttpService> services,
            Map<String, Filter[]> chains, Map<String, Map<String, Filter[]>> entryChains, Map<String, ForwardingPolicy> forwarding, UpstreamClients clients,
            List<Runnable> startActions, List<AutoCloseable> closeables) {
        this.config = config;
        this.clients = clients;
        this.startActions = List.copyOf(startActions);
        this.closeables = List.copyOf(closeables);
        this.tables = Map.copyOf(tables);
        this.allRouters = allRouters;
        this.services = Map.copyOf(services);
        this.chains = Map.copyOf(chains);
        Map<String, Map<String, Filter[]>> byEntryPoint = new java.util.HashMap<>();
        entryChains.forEach((entryPoint, routers) -> byEntryPoint.put(entryPoint, Map.copyOf(routers)));
        this.entryChains = Map.copyOf(byEntryPoint);
        this.forwarding = Map.copyOf(forwarding);
    }

    /**
     * The routing table of {@code entryPoint}; with {@code null} (a WAR, where the container owns the
     * listeners) every router, whatever its entry points.
     */
    public RouteTable routes(String entryPoint) {
        if (entryPoint == null) {
            return allRouters;
        }
        RouteTable table = tables.get(entryPoint);
        return table != null ? table : EMPTY;
    }

    public HttpService service(String name) {
        return services.get(name);
    }

    /** The router's middlewares in order, after those its entry point runs for every router. */
    public Filter[] middlewares(String entryPoint, Router router) {
        Map<String, Filter[]> ofEntryPoint = entryPoint == null ? null : entryChains.get(entryPoint);
        Filter[] withEntryPoint = ofEntryPoint == null ? null : ofEntryPoint.get(router.name());
        return withEntryPoint != null ? withEntryPoint : chains.get(router.name());
    }

    public ForwardingPolicy forwarding(String entryPoint) {
        ForwardingPolicy policy = entryPoint == null ? null : forwarding.get(entryPoint);
        return policy != null ? policy : ForwardingPolicy.TRUST_NOBODY;
    }

    /** The configuration this snapshot was built from. */
    public SluiceConfig config() {
        return config;
    }

    /** The upstream clients of this snapshot's transports. */
    public UpstreamClients clients() {
        return clients;
    }

    /** Starts what runs on behalf of this snapshot while it serves (health checks); called once, when it is committed. */
    void start() {
        startActions.forEach(Runnable::run);
    }

    /**
     * Stops what runs on behalf of this snapshot (health checks, health listeners); one failure does
     * not stop the rest. Requests still being served by it finish normally.
     */
    void retire() {
        closeAll(closeables);
    }

    static void closeAll(List<AutoCloseable> closeables) {
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(Snapshot.class).warn("failed to stop {}", closeable, e);
            }
        }
    }

    private static final RouteTable EMPTY = new RouteTable(java.util.List.of());
}
