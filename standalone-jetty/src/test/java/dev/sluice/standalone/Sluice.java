package dev.sluice.standalone;

import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.SluiceConfig;
import java.net.URI;

/**
 * Test helper: Sluice from a TOML text, on 127.0.0.1 with ports chosen by the OS. Closing it stops at
 * once ({@link EmbeddedServer#closeNow()}): the graceful drain would wait for the test clients' idle
 * keep-alive connections.
 */
final class Sluice implements AutoCloseable {
    final EmbeddedServer server;

    private Sluice(EmbeddedServer server) {
        this.server = server;
    }

    /** Starts {@code toml}; its entry points should use {@code address = "127.0.0.1:0"}. */
    static Sluice start(String toml) throws Exception {
        return new Sluice(EmbeddedServer.start(ConfigLoader.parse(toml, "test.toml")));
    }

    /** Starts {@code config} (conf/ examples, moved to loopback by {@link Configs}). */
    static Sluice start(SluiceConfig config) throws Exception {
        return new Sluice(EmbeddedServer.start(config));
    }

    /** As {@link #start(String)}, the HTTPS entry points' handshakes run by {@code tls} (see {@link TlsProviders}). */
    static Sluice start(String toml, dev.sluice.proxy.tls.TlsProvider tls) throws Exception {
        return new Sluice(EmbeddedServer.start(ConfigLoader.parse(toml, "test.toml"),
                dev.sluice.proxy.tls.acme.AcmeResolver.Options.defaults(), tls));
    }

    URI uri(String entryPoint, String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port(entryPoint) + pathAndQuery);
    }

    int port(String entryPoint) {
        return server.port(entryPoint);
    }

    @Override
    public void close() throws Exception {
        server.closeNow();
    }
}
