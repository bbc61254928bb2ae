package dev.sluice.proxy.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Serves the certificate of a {@link CertificateLookup} for the client's SNI, else the certificate of a
 * {@link CertificateStore} that names it. The JDK asks once per key type the handshake could use; the
 * alias is the certificate's index in the store, or {@code lookup:SNI} for the lookup's.
 *
 * <p>Race: a lookup certificate renewed between {@link #chooseEngineServerAlias} and
 * {@link #getPrivateKey} would pair one chain with the other key, so the chosen certificate is
 * remembered per alias ({@code lookup:SNI@identity}) until the next choice for that name replaces it.
 *
 * <p>Keys are served in the {@link TlsProvider}'s own form, converted once: the store's at construction,
 * a lookup certificate's when it is first chosen (kept with it until another one replaces it).
 */
final class SniKeyManager extends X509ExtendedKeyManager {
    private final CertificateStore store;
    private final List<CertifiedKey> all;
    /** Each of {@link #all} with its key in the provider's form, same order. */
    private final List<Chosen> entries;
    private final boolean sniStrict;
    private final CertificateLookup lookup;
    private final TlsProvider provider;
    /** The lookup certificate each {@code lookup:SNI} alias was chosen with, one per name. */
    private final java.util.Map<String, Chosen> chosen = new java.util.concurrent.ConcurrentHashMap<>();

    /** A lookup certificate and its key in the provider's form. */
    private record Chosen(CertifiedKey certified, PrivateKey key) {}

    SniKeyManager(CertificateStore store, boolean sniStrict, CertificateLookup lookup, TlsProvider provider) {
        this.store = store;
        this.all = store.all();
        this.entries = all.stream().map(k -> new Chosen(k, provider.adapt(k.key()))).toList();
        this.sniStrict = sniStrict;
        this.lookup = lookup;
        this.provider = provider;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return alias(keyType, engine.getHandshakeSession());
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return alias(keyType, socket instanceof javax.net.ssl.SSLSocket tls ? tls.getHandshakeSession() : null);
    }

    private String alias(String keyType, SSLSession handshake) {
        String sni = sni(handshake);
        if (sni != null && !sni.isEmpty()) {
            CertifiedKey dynamic = lookup.find(sni.toLowerCase(java.util.Locale.ROOT)).filter(k -> k.suits(keyType)).orElse(null);
            if (dynamic != null) {
                String alias = LOOKUP + sni + "@" + System.identityHashCode(dynamic);
                Chosen before = chosen.get(sni);
                if (before == null || before.certified() != dynamic) {
                    chosen.put(sni, new Chosen(dynamic, provider.adapt(dynamic.key())));
                }
                return alias;
            }
        }
        CertifiedKey fromStore = store.choose(sni, keyType, sniStrict);
        return fromStore == null ? null : Integer.toString(all.indexOf(fromStore));
    }

    private static final String LOOKUP = "lookup:";

    private static String sni(SSLSession handshake) {
        if (handshake instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return host.getAsciiName();
                }
            }
        }
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Chosen entry = entry(alias);
        return entry == null ? null : entry.certified().chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Chosen entry = entry(alias);
        return entry == null ? null : entry.key();
    }

    private Chosen entry(String alias) {
        if (alias != null && alias.startsWith(LOOKUP)) {
            int at = alias.lastIndexOf('@');
            Chosen key = chosen.get(alias.substring(LOOKUP.length(), at));
            return key != null && alias.endsWith("@" + System.identityHashCode(key.certified())) ? key : null;
        }
        try {
            int index = Integer.parseInt(alias);
            return index >= 0 && index < all.size() ? entries.get(index) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null; // only the choice above serves
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null; // a server's key manager
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null; // a server's key manager
    }
}
