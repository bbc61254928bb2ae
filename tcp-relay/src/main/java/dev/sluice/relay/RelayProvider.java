package dev.sluice.relay;

import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.observe.SessionObserver;
import dev.sluice.proxy.runtime.L4Relay;
import java.util.Map;

/**
 * Found by the WAR's context listener through {@code META-INF/services}: runs the {@link Relay}
 * while the configuration has TCP or UDP entry points, starting and stopping it as reloads add and
 * remove them.
 */
public final class RelayProvider implements L4Relay {
    @Override
    public Running start(SluiceConfig config, SessionObserver sessions) throws Exception {
        return new Switchable(Relay.needed(config) ? Relay.start(config, Relay.Settings.DEFAULT, Map.of(), sessions) : null, sessions);
    }

    private static final class Switchable implements Running {
        private final SessionObserver sessions;
        private Relay relay;

        Switchable(Relay relay, SessionObserver sessions) {
            this.relay = relay;
            this.sessions = sessions;
        }

        @Override
        public synchronized Map<String, String> serverStatus(String service) {
            return relay == null ? Map.of() : relay.serverStatus(service);
        }

        @Override
        public synchronized Runnable prepare(SluiceConfig next) throws Exception {
            boolean needed = Relay.needed(next);
            if (relay == null) {
                Relay started = needed ? Relay.start(next, Relay.Settings.DEFAULT, Map.of(), sessions) : null;
                return () -> relay = started;
            }
            if (!needed) {
                Relay stopping = relay;
                return () -> {
                    relay = null;
                    stopping.close();
                };
            }
            return relay.prepare(next, Map.of());
        }

        @Override
        public synchronized void close() {
            if (relay != null) {
                relay.close();
                relay = null;
            }
        }
    }
}
