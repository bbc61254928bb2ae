package dev.sluice.relay;

import dev.sluice.proxy.config.TlsConfig;
import dev.sluice.proxy.config.TcpRouterConfig;
import dev.sluice.proxy.tls.CertificateStore;
import dev.sluice.proxy.tls.ServerTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;

/**
 * The TLS termination of TCP routers: one {@link ServerTls} per {@code [tls.options.NAME]} in use,
 * all over one {@link CertificateStore}, read on first need (so a relay without terminating routers
 * never makes the self-signed default certificate).
 */
final class Terminations {
    private final TlsConfig config;
    private final Map<String, ServerTls> byOptions = new HashMap<>();
    private CertificateStore store;

    Terminations(TlsConfig config) {
        this.config = config;
    }

    /** How router TLS {@code tls} terminates, or null when it does not (passthrough, or no tls). */
    ServerTls of(TcpRouterConfig.Tls tls) {
        if (tls == null || tls.passthrough()) {
            return null;
        }
        String name = tls.options() == null || tls.options().isBlank() ? TlsConfig.DEFAULT : tls.options();
        return byOptions.computeIfAbsent(name, this::build);
    }

    private ServerTls build(String optionsName) {
        try {
            if (store == null) {
                store = CertificateStore.load(config);
            }
            return ServerTls.of(config.optionsNamed(optionsName), store);
        } catch (IOException e) {
            throw new UncheckedIOException("TLS options " + optionsName + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS options " + optionsName + ": " + e.getMessage(), e);
        }
    }
}
