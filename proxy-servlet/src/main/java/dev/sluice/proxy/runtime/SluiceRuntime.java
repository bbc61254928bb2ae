package dev.sluice.proxy.runtime;

import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.transport.UpstreamClients;

/**
 * The live state of one Sluice instance: the current {@link Snapshot} and the upstream clients it
 * uses. Whoever boots Sluice (the standalone launcher or the WAR's context listener) creates it and
 * publishes it to the servlet context under {@link #ATTRIBUTE}; the filter and servlet read it there.
 */
public final class SluiceRuntime implements AutoCloseable {
    public static final String ATTRIBUTE = SluiceRuntime.class.getName();

    private final SluiceConfig config;
    private final UpstreamClients clients;
    private volatile Snapshot current;

    private SluiceRuntime(SluiceConfig config, UpstreamClients clients, Snapshot snapshot) {
        this.config = config;
        this.clients = clients;
        this.current = snapshot;
    }

    /** Starts upstream clients (with threads of their own) and builds the first snapshot of a validated configuration. */
    public static SluiceRuntime start(SluiceConfig config) throws Exception {
        return start(config, null);
    }

    /** As {@link #start(SluiceConfig)}, with the upstream clients running on {@code executor} if not null. */
    public static SluiceRuntime start(SluiceConfig config, java.util.concurrent.Executor executor) throws Exception {
        UpstreamClients clients = UpstreamClients.start(config.http().serversTransports(), executor);
        try {
            return new SluiceRuntime(config, clients, SnapshotBuilder.build(config, clients));
        } catch (RuntimeException e) {
            clients.close();
            throw e;
        }
    }

    /** The snapshot new requests are served with. */
    public Snapshot current() {
        return current;
    }

    public UpstreamClients clients() {
        return clients;
    }

    public SluiceConfig config() {
        return config;
    }

    @Override
    public void close() {
        current.close();
        clients.close();
    }
}
