package dev.sluice.relay;

import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.runtime.L4Relay;

/** Found by the WAR's context listener through {@code META-INF/services}: starts the {@link Relay}. */
public final class RelayProvider implements L4Relay {
    @Override
    public AutoCloseable start(SluiceConfig config) throws Exception {
        return Relay.needed(config) ? Relay.start(config) : null;
    }
}
