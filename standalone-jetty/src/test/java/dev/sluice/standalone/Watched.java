package dev.sluice.standalone;

import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.runtime.ConfigWatcher;
import java.nio.file.Path;
import java.util.List;

/** Test fixture: Sluice serving a configuration file and reloading it as it changes, as the jar does. */
final class Watched implements AutoCloseable {
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
        return new Watched(server, ConfigWatcher.start(List.of(file), config, server::reload));
    }

    @Override
    public void close() throws Exception {
        watcher.close();
        server.close();
    }
}
