package dev.sluice.proxy.tls;

import dev.sluice.proxy.config.HttpTls;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.config.TlsConfig;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLEngine;

/**
 * TLS termination for one HTTP entry point: a {@link ServerTls} per {@code [tls.options.NAME]} its
 * TLS routers use, all over one {@link CertificateStore}, and the choice among them by the SNI read
 * from the ClientHello before the handshake starts (the options decide versions, suites and client
 * authentication, which the server must know before it answers). Immutable: a reload builds a new
 * one; connections already established keep the engine they were given.
 *
 * <p>Per options also: the protocols ALPN may choose ({@code alpnProtocols}; Traefik's default h2 and
 * http/1.1 when unset, {@code acme-tls/1} being answered before ALPN), and, as Traefik's {@code snicheck},
 * whether a request's {@code Host} names a host of other options than the SNI its connection was
 * handshaken for ({@link #misdirected}: answered 421).
 *
 * <pre>
 * HttpsTermination tls = HttpsTermination.of(config, HttpTls.of(config), "websecure", CertificateStore.load(config.tls()));
 * SSLEngine engine = tls.newEngine("api.example.com");
 * </pre>
 */
public final class HttpsTermination {
    /** What HTTPS entry points negotiate by ALPN when the options say nothing (Traefik's default less {@code acme-tls/1}). */
    public static final List<String> DEFAULT_ALPN = List.of("h2", "http/1.1");
    /** The protocols an HTTPS entry point can serve after ALPN. */
    private static final List<String> SERVED = List.of("h2", "http/1.1");

    private final Map<String, ServerTls> byOptions;
    private final Map<String, List<String>> alpnByOptions;
    private final Map<String, String> optionsByHost;
    /** What an HTTP/3 listener serves (it cannot choose by SNI), see {@link CertificateStore#primary()}. */
    private final CertifiedKey primary;

    private HttpsTermination(Map<String, ServerTls> byOptions, Map<String, List<String>> alpnByOptions, Map<String, String> optionsByHost,
            CertifiedKey primary) {
        this.primary = primary;
        this.byOptions = byOptions;
        this.alpnByOptions = alpnByOptions;
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
        Map<String, List<String>> alpn = new HashMap<>();
        for (String name : routing.optionsInUse(entryPoint)) {
            byOptions.put(name, ServerTls.of(config.tls().optionsNamed(name), store, acme, provider));
            alpn.put(name, alpn(config.tls().optionsNamed(name).alpnProtocols()));
        }
        return new HttpsTermination(Map.copyOf(byOptions), Map.copyOf(alpn), routing.optionsByHost(entryPoint), store.primary());
    }

    /** The certificate of the entry point's HTTP/3 listener: one for every name, see {@link CertificateStore#primary()}. */
    public CertifiedKey primaryCertificate() {
        return primary;
    }

    /**
     * The configured protocols that an HTTPS entry point serves, in their order (the server's preference);
     * {@code acme-tls/1} and unknown names are dropped. Nothing left: http/1.1, which every client speaks.
     */
    private static List<String> alpn(List<String> configured) {
        if (configured == null) {
            return DEFAULT_ALPN;
        }
        List<String> served = configured.stream().map(p -> p.toLowerCase(Locale.ROOT)).filter(SERVED::contains).distinct().toList();
        return served.isEmpty() ? List.of("http/1.1") : served;
    }

    /** The protocols ALPN may choose, most preferred first, for a connection whose ClientHello names {@code sni}. */
    public List<String> alpnFor(String sni) {
        return alpnByOptions.get(optionsFor(sni));
    }

    /**
     * True when a request with {@code Host} {@code host} (without its port), on a connection handshaken for
     * {@code sni} (null or empty: none), must be refused with 421 Misdirected Request: the two names differ
     * and select different TLS options. As Traefik's {@code snicheck}: the host is looked up as given, then
     * with or without a trailing dot, then in lower case; a name no TLS router gives has the default options.
     */
    public boolean misdirected(String sni, String host) {
        String serverName = sni == null ? "" : sni.trim();
        String requested = host == null ? "" : host.trim();
        if (requested.equalsIgnoreCase(serverName)) {
            return false;
        }
        return !optionsOf(requested, true).equals(optionsOf(serverName, false));
    }

    private String optionsOf(String name, boolean fqdn) {
        String found = lookup(name, fqdn);
        if (found == null) {
            found = lookup(name.toLowerCase(Locale.ROOT), fqdn);
        }
        return found == null ? TlsConfig.DEFAULT : found;
    }

    private String lookup(String name, boolean fqdn) {
        String options = optionsByHost.get(name);
        if (options != null || !fqdn) {
            return options;
        }
        if (name.endsWith(".")) {
            return optionsByHost.get(name.substring(0, name.length() - 1));
        }
        return optionsByHost.get(name + ".");
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
