package dev.sluice.proxy.service;

import dev.sluice.proxy.config.LoadBalancerConfig.ServerConfig;
import dev.sluice.proxy.config.ServiceConfig;
import dev.sluice.proxy.runtime.Carryover;
import dev.sluice.proxy.transport.UpstreamClients;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the service tree of one configuration: each service once, children before the parents
 * that name them (on demand). Building has no side effects: what must run while the tree serves
 * (health checkers) is collected to start when the snapshot is committed, and what must stop with
 * it to close when it is retired. Servers take their live state over from the previous snapshot
 * through the {@link Carryover}. The configuration was validated, so every name resolves and there
 * are no cycles.
 */
public final class ServiceBuilder {
    private final Map<String, ServiceConfig> configs;
    private final UpstreamClients clients;
    private final Carryover carryover;
    private final Map<String, HttpService> built = new HashMap<>();
    private final List<Runnable> onCommit = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    public ServiceBuilder(Map<String, ServiceConfig> configs, UpstreamClients clients) {
        this(configs, clients, Carryover.first());
    }

    public ServiceBuilder(Map<String, ServiceConfig> configs, UpstreamClients clients, Carryover carryover) {
        this.configs = configs;
        this.clients = clients;
        this.carryover = carryover;
    }

    /** Every service of the configuration, by name. */
    public Map<String, HttpService> buildAll() {
        configs.keySet().forEach(this::service);
        return Map.copyOf(built);
    }

    /** The service called {@code name}, built now if it was not yet. */
    public HttpService service(String name) {
        HttpService service = built.get(name);
        if (service == null) {
            Map.Entry<String, Object> kind = configs.get(name).kinds().entrySet().iterator().next();
            service = ServiceKinds.factory(kind.getKey()).create(name, kind.getValue(), this);
            built.put(name, service);
        }
        return service;
    }

    /** A server of service {@code service}, with the live state its previous incarnation had, if any. */
    Server server(String service, ServerConfig config) {
        return new Server(config, carryover.keep(new ServerState.Key(service, config.url()), ServerState::new));
    }

    public UpstreamClients clients() {
        return clients;
    }

    /** Registers something to run when the tree starts serving (a health checker's first round). */
    public void startOnCommit(Runnable start) {
        onCommit.add(start);
    }

    /** Registers something to close when the tree is retired (a health checker, a health listener). */
    public void closeLater(AutoCloseable closeable) {
        closeables.add(closeable);
    }

    public List<Runnable> startActions() {
        return List.copyOf(onCommit);
    }

    public List<AutoCloseable> closeables() {
        return List.copyOf(closeables);
    }
}
