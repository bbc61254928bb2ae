package dev.sluice.proxy.service;

import dev.sluice.proxy.config.ServiceConfig;
import dev.sluice.proxy.transport.UpstreamClients;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the service tree of one configuration: each service once, children before the parents
 * that name them (on demand), and collects what must be stopped with the tree (health checkers).
 * The configuration was validated, so every name resolves and there are no cycles.
 */
public final class ServiceBuilder {
    private final Map<String, ServiceConfig> configs;
    private final UpstreamClients clients;
    private final Map<String, HttpService> built = new HashMap<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    public ServiceBuilder(Map<String, ServiceConfig> configs, UpstreamClients clients) {
        this.configs = configs;
        this.clients = clients;
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

    public UpstreamClients clients() {
        return clients;
    }

    /** Registers something to close when the tree is retired (a health checker). */
    public void closeLater(AutoCloseable closeable) {
        closeables.add(closeable);
    }

    public List<AutoCloseable> closeables() {
        return List.copyOf(closeables);
    }
}
