package dev.sluice.proxy.tls;

import dev.sluice.proxy.config.HttpTls;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.config.TlsConfig;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLEngine;

/**
 * TLS termination for one HTTP entry point: a {@link ServerTls} per {@code [tls.options.NAME]} its
 * TLS routers use, all over one {@link CertificateStore}, and the choice among them by the SNI read
 * from the ClientHello before the handshake starts (the options decide versions, suites and client
 * authentication, which the server must know before it answers). Immutable: a reload builds a new
 * one; connections already established keep the engine they were given.
 *
 * <pre>
 * HttpsTermination tls = HttpsTermination.of(config, HttpTls.of(config), "websecure", CertificateStore.load(config.tls()));
 * SSLEngine engine = tls.newEngine("api.example.com");
 * </pre>
 */
public final class HttpsTermination {
    private final Map<String, ServerTls> byOptions;
    private final Map<String, String> optionsByHost;

    private HttpsTermination(Map<String, ServerTls> byOptions, Map<String, String> optionsByHost) {
        this.byOptions = byOptions;
        this.optionsByHost = optionsByHost;
    }

    /** The termination of {@code entryPoint} (validated configuration); reads nothing but what {@code store} holds. */
    public static HttpsTermination of(SluiceConfig config, HttpTls routing, String entryPoint, CertificateStore store)
            throws IOException, GeneralSecurityException {
        return of(config, routing, entryPoint, store, CertificateLookup.NONE);
    }

    /** With the certificates {@code acme} gives by SNI (those of the routers' certificate resolvers) before the store's. */
    public static HttpsTermination of(SluiceConfig config, HttpTls routing, String entryPoint, CertificateStore store,
            CertificateLookup acme) throws IOException, GeneralSecurityException {
        return of(config, routing, entryPoint, store, acme, TlsProvider.JDK);
    }

    /** As above, the handshakes run by {@code provider} (the JDK's, or Conscrypt). */
    public static HttpsTermination of(SluiceConfig config, HttpTls routing, String entryPoint, CertificateStore store,
            CertificateLookup acme, TlsProvider provider) throws IOException, GeneralSecurityException {
        Map<String, ServerTls> byOptions = new HashMap<>();
        for (String name : routing.optionsInUse(entryPoint)) {
            byOptions.put(name, ServerTls.of(config.tls().optionsNamed(name), store, acme, provider));
        }
        return new HttpsTermination(Map.copyOf(byOptions), routing.optionsByHost(entryPoint));
    }

    /** The options a handshake for {@code sni} gets: those of the TLS routers of that host, else {@code default}. */
    public String optionsFor(String sni) {
        return sni == null ? TlsConfig.DEFAULT : optionsByHost.getOrDefault(sni, TlsConfig.DEFAULT);
    }

    /** A server engine for a connection whose ClientHello names {@code sni} (null or empty when it names none). */
    public SSLEngine newEngine(String sni) {
        return byOptions.get(optionsFor(sni)).newEngine();
    }
}
