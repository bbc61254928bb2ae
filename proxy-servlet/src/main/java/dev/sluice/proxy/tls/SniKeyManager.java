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
 * Serves the certificate of a {@link CertificateStore} that names the client's SNI. The JDK asks
 * once per key type the handshake could use; the alias is the certificate's index in the store.
 */
final class SniKeyManager extends X509ExtendedKeyManager {
    private final CertificateStore store;
    private final List<CertifiedKey> all;
    private final boolean sniStrict;

    SniKeyManager(CertificateStore store, boolean sniStrict) {
        this.store = store;
        this.all = store.all();
        this.sniStrict = sniStrict;
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
        CertifiedKey chosen = store.choose(sni(handshake), keyType, sniStrict);
        return chosen == null ? null : Integer.toString(all.indexOf(chosen));
    }

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
        return entry(alias) == null ? null : entry(alias).chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return entry(alias) == null ? null : entry(alias).key();
    }

    private CertifiedKey entry(String alias) {
        try {
            int index = Integer.parseInt(alias);
            return index >= 0 && index < all.size() ? all.get(index) : null;
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
