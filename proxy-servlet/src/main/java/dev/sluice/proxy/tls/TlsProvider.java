package dev.sluice.proxy.tls;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSSE provider a {@link ServerTls} makes its context with: the JDK's, or another one such as
 * Conscrypt (BoringSSL). Everything else (certificate choice by SNI, options, client authentication)
 * is Sluice's own code and the same for every provider.
 *
 * <p>Keys are handed to a provider in its own form ({@link #adapt}): given the JDK's key object,
 * Conscrypt re-parses its PKCS#8 encoding on every handshake, or signs through the JCA; a key made
 * by Conscrypt's own {@code KeyFactory} signs inside BoringSSL.
 *
 * <pre>
 * TlsProvider conscrypt = TlsProvider.of("conscrypt", Conscrypt.newProvider(), engine -&gt; Conscrypt.setUseSessionTickets(engine, true));
 * ServerTls tls = ServerTls.of(options, store, CertificateLookup.NONE, conscrypt);
 * </pre>
 */
public final class TlsProvider {
    private static final Logger LOG = LoggerFactory.getLogger(TlsProvider.class);

    /** The JDK's own provider (SunJSSE). */
    public static final TlsProvider JDK = new TlsProvider("jdk", null, engine -> {});

    private final String name;
    private final Provider provider;
    private final Consumer<SSLEngine> engineSetup;

    private TlsProvider(String name, Provider provider, Consumer<SSLEngine> engineSetup) {
        this.name = name;
        this.provider = provider;
        this.engineSetup = engineSetup;
    }

    /**
     * {@code provider}'s TLS, under {@code name} (as {@code --tls-provider} spells it).
     *
     * @param engineSetup what each new server engine needs beyond {@code SSLParameters} to behave as the JDK's
     *     (Conscrypt: session tickets, which it leaves off)
     */
    public static TlsProvider of(String name, Provider provider, Consumer<SSLEngine> engineSetup) {
        return new TlsProvider(name, provider, engineSetup);
    }

    public String name() {
        return name;
    }

    /** True for the JDK's provider: what only it offers (OCSP stapling) applies. */
    public boolean isJdk() {
        return provider == null;
    }

    SSLContext newContext() throws NoSuchAlgorithmException {
        return provider == null ? SSLContext.getInstance("TLS") : SSLContext.getInstance("TLS", provider);
    }

    void setUp(SSLEngine engine) {
        engineSetup.accept(engine);
    }

    /** {@code key} as the provider's own key object; {@code key} itself for the JDK, or when the provider cannot read it. */
    PrivateKey adapt(PrivateKey key) {
        if (provider == null || key.getEncoded() == null || !"PKCS#8".equals(key.getFormat())) {
            return key;
        }
        try {
            return KeyFactory.getInstance(key.getAlgorithm(), provider).generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException | RuntimeException e) {
            // Still works: the provider converts it per handshake, more slowly.
            LOG.debug("{}: {} key kept in the JDK's form ({})", name, key.getAlgorithm(), e.toString());
            return key;
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
