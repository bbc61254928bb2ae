package dev.sluice.proxy.tls;

import dev.sluice.proxy.config.Pem;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** PEM certificates and keys turned into the JDK's key and trust managers. */
final class KeyStores {
    private static final char[] NO_PASSWORD = "sluice".toCharArray();

    private KeyStores() {}

    /** Trust managers for the CAs in {@code caFiles} (files or inline PEM). */
    static TrustManager[] trusting(List<String> caFiles) throws IOException, GeneralSecurityException {
        KeyStore trust = empty();
        int n = 0;
        for (String file : caFiles) {
            for (X509Certificate ca : Pem.certificates(file)) {
                trust.setCertificateEntry("ca-" + n++, ca);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        return factory.getTrustManagers();
    }

    /** Key managers holding each certificate (chain) with its key. */
    static KeyManager[] holding(List<CertifiedKey> keys) throws IOException, GeneralSecurityException {
        KeyStore store = empty();
        int n = 0;
        for (CertifiedKey key : keys) {
            store.setKeyEntry("key-" + n++, key.key(), NO_PASSWORD, key.chain().toArray(X509Certificate[]::new));
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, NO_PASSWORD);
        return factory.getKeyManagers();
    }

    private static KeyStore empty() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }
}
