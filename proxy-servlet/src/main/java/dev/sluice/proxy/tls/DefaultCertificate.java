package dev.sluice.proxy.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificate served when nothing else fits, as Traefik's: self-signed, subject
 * {@code CN=TRAEFIK DEFAULT CERT}, a random {@code *.traefik.default} name, valid one year. Made once
 * per JVM, on first use (an RSA key takes a moment).
 */
final class DefaultCertificate {
    static final String COMMON_NAME = "TRAEFIK DEFAULT CERT";

    private static CertifiedKey made;

    private DefaultCertificate() {}

    static synchronized CertifiedKey get() throws GeneralSecurityException {
        if (made == null) {
            made = generate();
        }
        return made;
    }

    private static CertifiedKey generate() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        SecureRandom random = new SecureRandom();
        byte[] id = new byte[16];
        random.nextBytes(id);
        String name = HexFormat.of().formatHex(id) + ".traefik.default";
        X500Name subject = new X500Name("CN=" + COMMON_NAME);
        long now = System.currentTimeMillis();
        var builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, random), new Date(now - 3_600_000L),
                new Date(now + 365L * 86_400_000L), subject, keys.getPublic());
        try {
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, name)));
            var signer = new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate());
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            return CertifiedKey.of(List.of(cert), keys.getPrivate());
        } catch (CertIOException | OperatorCreationException e) {
            throw new GeneralSecurityException("cannot make the default certificate", e);
        }
    }
}
