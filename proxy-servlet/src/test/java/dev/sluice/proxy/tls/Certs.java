package dev.sluice.proxy.tls;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates made on the spot for TLS tests (every module's): a CA and the leaves it signs, written as PEM files. */
public final class Certs {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A key pair and its certificate. */
    public record Issued(KeyPair keys, X509Certificate cert) {
        public Path writeCert(Path file) throws Exception {
            Files.writeString(file, pem("CERTIFICATE", cert.getEncoded()));
            return file;
        }

        public Path writeKey(Path file) throws Exception {
            Files.writeString(file, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
            return file;
        }

        /** A PKCS#12 store with this key and its chain, password "secret". */
        public KeyStore keyStore(X509Certificate... chain) throws Exception {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            X509Certificate[] full = new X509Certificate[chain.length + 1];
            full[0] = cert;
            System.arraycopy(chain, 0, full, 1, chain.length);
            store.setKeyEntry("key", keys.getPrivate(), "secret".toCharArray(), full);
            return store;
        }
    }

    private Certs() {}

    public static Issued ca(String name) throws Exception {
        KeyPair keys = keys();
        X500Name subject = new X500Name("CN=" + name);
        var builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(SERIAL.incrementAndGet()), notBefore(), notAfter(),
                subject, keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        return new Issued(keys, sign(builder, keys));
    }

    /** A leaf signed by {@code ca}; names are {@code dns:…}, {@code ip:…} or {@code uri:…}. */
    public static Issued leaf(Issued ca, String cn, List<String> names) throws Exception {
        KeyPair keys = keys();
        var builder = new JcaX509v3CertificateBuilder(new X500Name(ca.cert().getSubjectX500Principal().getName()),
                BigInteger.valueOf(SERIAL.incrementAndGet()), notBefore(), notAfter(), new X500Name("CN=" + cn), keys.getPublic());
        GeneralName[] sans = names.stream().map(n -> {
            String value = n.substring(n.indexOf(':') + 1);
            return switch (n.substring(0, n.indexOf(':'))) {
                case "dns" -> new GeneralName(GeneralName.dNSName, value);
                case "ip" -> new GeneralName(GeneralName.iPAddress, value);
                default -> new GeneralName(GeneralName.uniformResourceIdentifier, value);
            };
        }).toArray(GeneralName[]::new);
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
        return new Issued(keys, sign(builder, ca.keys()));
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, KeyPair signer) throws Exception {
        var signerOp = new JcaContentSignerBuilder("SHA256withRSA").build(signer.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(signerOp));
    }

    private static KeyPair keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static Date notBefore() {
        return new Date(System.currentTimeMillis() - 3_600_000L);
    }

    private static Date notAfter() {
        return new Date(System.currentTimeMillis() + 86_400_000L);
    }

    /** A client context that accepts any server certificate: for tests that look at what is served. */
    public static javax.net.ssl.SSLContext trustingEverything() throws Exception {
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                // a client only
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // whatever is served is what the test wants to see
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return context;
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
