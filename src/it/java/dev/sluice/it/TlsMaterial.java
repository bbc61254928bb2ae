package dev.sluice.it;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificates of the HTTPS connectors the WAR tests give their containers, made on the spot
 * with Bouncy Castle (as proxy-servlet's test {@code Certs}, which this module cannot see): a CA,
 * the server's leaf for 127.0.0.1, and a client's leaf. Stores are PKCS#12, password "secret".
 */
final class TlsMaterial {
    static final String PASSWORD = "secret";
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
    private static TlsMaterial instance;

    final KeyPair caKeys;
    final X509Certificate ca;
    final KeyStore server;
    final KeyStore trust;
    final X509Certificate clientCert;
    final KeyStore client;

    private TlsMaterial() throws Exception {
        caKeys = keys();
        X500Name caName = new X500Name("CN=Sluice WAR test CA");
        var caBuilder = new JcaX509v3CertificateBuilder(caName, serial(), notBefore(), notAfter(), caName, caKeys.getPublic());
        caBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        ca = sign(caBuilder, caKeys);

        KeyPair serverKeys = keys();
        server = store(serverKeys, leaf(serverKeys, "127.0.0.1", new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        KeyPair clientKeys = keys();
        clientCert = leaf(clientKeys, "war-client", new GeneralName(GeneralName.dNSName, "war-client.test"));
        client = store(clientKeys, clientCert);
        trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
    }

    static synchronized TlsMaterial get() throws Exception {
        if (instance == null) {
            instance = new TlsMaterial();
        }
        return instance;
    }

    static Path write(KeyStore store, Path file) throws Exception {
        try (var out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD.toCharArray());
        }
        return file;
    }

    /** A client trusting the CA; with {@code withCertificate} it presents its certificate when asked. */
    SSLContext clientContext(boolean withCertificate) throws Exception {
        TrustManagerFactory trusting = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trusting.init(trust);
        KeyManagerFactory keys = null;
        if (withCertificate) {
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(client, PASSWORD.toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trusting.getTrustManagers(), null);
        return context;
    }

    private X509Certificate leaf(KeyPair keys, String cn, GeneralName san) throws Exception {
        var builder = new JcaX509v3CertificateBuilder(new X500Name(ca.getSubjectX500Principal().getName()), serial(), notBefore(), notAfter(),
                new X500Name("CN=" + cn), keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(san));
        return sign(builder, caKeys);
    }

    private KeyStore store(KeyPair keys, X509Certificate cert) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("key", keys.getPrivate(), PASSWORD.toCharArray(), new X509Certificate[] {cert, ca});
        return store;
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, KeyPair signer) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(signer.getPrivate())));
    }

    private static KeyPair keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static Date notBefore() {
        return new Date(System.currentTimeMillis() - 3_600_000L);
    }

    private static Date notAfter() {
        return new Date(System.currentTimeMillis() + 86_400_000L);
    }
}
