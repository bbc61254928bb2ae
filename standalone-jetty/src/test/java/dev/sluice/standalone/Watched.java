package dev.sluice.standalone;

import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.runtime.ConfigWatcher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Test fixture: Sluice serving a configuration file and reloading it as it changes, as the jar does. */
final class Watched implements AutoCloseable {
    /** The files are read this often, not every 500 ms as in production: reload tests wait less. */
    static final Duration POLL = Duration.ofMillis(50);

    final EmbeddedServer server;
    final ConfigWatcher watcher;

    private Watched(EmbeddedServer server, ConfigWatcher watcher) {
        this.server = server;
        this.watcher = watcher;
    }

    static Watched start(Path file) throws Exception {
        return start(file, dev.sluice.proxy.tls.TlsProvider.JDK);
    }

    /** As {@link #start(Path)}, the HTTPS entry points' handshakes run by {@code tls}. */
    static Watched start(Path file, dev.sluice.proxy.tls.TlsProvider tls) throws Exception {
        var config = ConfigLoader.load(List.of(file));
        EmbeddedServer server = EmbeddedServer.start(config, dev.sluice.proxy.tls.acme.AcmeResolver.Options.defaults(), tls);
        return new Watched(server, ConfigWatcher.start(List.of(file), config, server::reload, POLL));
    }

    @Override
    public void close() throws Exception {
        watcher.close();
        server.closeNow(); // not the graceful drain, which would wait for the test clients' idle connections
    }
}
