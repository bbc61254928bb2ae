package dev.sluice.proxy.tls;

import dev.sluice.proxy.config.TlsOptionsConfig;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS termination with one {@code [tls.options.NAME]}: the certificate chosen by SNI from a
 * {@link CertificateStore}, the options' versions, cipher suites, client authentication and ALPN.
 * Thread-safe; one per options name, shared by every connection.
 *
 * <pre>
 * ServerTls tls = ServerTls.of(config.tls().optionsNamed("modern"), CertificateStore.load(config.tls()));
 * SSLEngine engine = tls.newEngine();
 * </pre>
 */
public final class ServerTls {
    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);

    private final SSLContext context;
    private final SSLParameters parameters;
    private final TlsProvider provider;

    private ServerTls(SSLContext context, SSLParameters parameters, TlsProvider provider) {
        this.context = context;
        this.parameters = parameters;
        this.provider = provider;
    }

    public static ServerTls of(TlsOptionsConfig options, CertificateStore store) throws IOException, GeneralSecurityException {
        return of(options, store, CertificateLookup.NONE);
    }

    /** With certificates that {@code lookup} gives by SNI served before the store's. */
    public static ServerTls of(TlsOptionsConfig options, CertificateStore store, CertificateLookup lookup)
            throws IOException, GeneralSecurityException {
        return of(options, store, lookup, TlsProvider.JDK);
    }

    /** As {@link #of(TlsOptionsConfig, CertificateStore, CertificateLookup)}, the handshakes run by {@code provider}. */
    public static ServerTls of(TlsOptionsConfig options, CertificateStore store, CertificateLookup lookup, TlsProvider provider)
            throws IOException, GeneralSecurityException {
        TlsOptionsConfig.ClientAuth auth = options.clientAuth();
        TrustManager[] trust = null;
        if (auth.verifies()) {
            trust = KeyStores.trusting(auth.caFiles());
        } else if (auth.requests()) {
            trust = new TrustManager[] {TrustAll.INSTANCE};
        }
        SSLContext context = provider.newContext();
        context.init(new KeyManager[] {new SniKeyManager(store, options.sniStrict(), lookup, provider)}, trust, null);
        SSLParameters parameters = context.getDefaultSSLParameters();
        List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getProtocols());
        parameters.setProtocols(options.protocols().stream().filter(supported::contains).toArray(String[]::new));
        if (!options.cipherSuites().isEmpty()) {
            // Traefik's list applies below TLS 1.3 only; 1.3 keeps the JDK's suites.
            List<String> suites = new ArrayList<>(Arrays.stream(parameters.getCipherSuites()).filter(s -> s.startsWith("TLS_AES_")
                    || s.startsWith("TLS_CHACHA20_")).toList());
            List<String> known = Arrays.asList(context.getSupportedSSLParameters().getCipherSuites());
            options.cipherSuites().stream().filter(known::contains).forEach(suites::add);
            if (!known.containsAll(options.cipherSuites())) {
                LOG.warn("TLS options: cipher suites {} are not offered by the {} provider; the others apply",
                        options.cipherSuites().stream().filter(c -> !known.contains(c)).toList(), provider);
            }
            parameters.setCipherSuites(suites.toArray(String[]::new));
        }
        if (auth.requires()) {
            parameters.setNeedClientAuth(true);
        } else if (auth.requests()) {
            parameters.setWantClientAuth(true);
        }
        if (options.alpnProtocols() != null) {
            parameters.setApplicationProtocols(options.alpnProtocols().toArray(String[]::new));
        }
        if (!options.curvePreferences().isEmpty() || options.disableSessionTickets()) {
            LOG.warn("TLS options: curvePreferences and disableSessionTickets are not applied (the JDK sets them for the whole JVM:"
                    + " jdk.tls.namedGroups, jdk.tls.server.enableSessionTicketExtension)");
        }
        return new ServerTls(context, parameters, provider);
    }

    /** A server-side engine for one connection. */
    public SSLEngine newEngine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setSSLParameters(parameters);
        provider.setUp(engine);
        return engine;
    }
}
