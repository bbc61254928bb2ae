package dev.sluice.proxy.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Certificates and private keys in PEM, from a file or written inline (Traefik's "file or content":
 * a value holding a {@code -----BEGIN} line is the PEM text itself). Keys may be PKCS#8
 * ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1 ({@code BEGIN EC PRIVATE KEY}).
 */
public final class Pem {
    private Pem() {}

    /** True if {@code value} is PEM text rather than a file name. */
    public static boolean isInline(String value) {
        return value != null && value.contains("-----BEGIN");
    }

    /** The certificates in {@code fileOrContent}, in order (leaf first in a chain). */
    public static List<X509Certificate> certificates(String fileOrContent) throws IOException, GeneralSecurityException {
        byte[] bytes = text(fileOrContent).getBytes(StandardCharsets.US_ASCII);
        List<X509Certificate> certs = new ArrayList<>();
        try (var in = new ByteArrayInputStream(bytes)) {
            for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certs.add((X509Certificate) cert);
            }
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException("not a PEM certificate: " + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new GeneralSecurityException("no PEM certificate (-----BEGIN CERTIFICATE-----) found");
        }
        return certs;
    }

    /** The first private key in {@code fileOrContent}. */
    public static PrivateKey privateKey(String fileOrContent) throws IOException, GeneralSecurityException {
        try (PEMParser parser = new PEMParser(new StringReader(text(fileOrContent)))) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object item; (item = parser.readObject()) != null; ) {
                if (item instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (item instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
            }
        } catch (IOException | RuntimeException e) {
            // Bouncy Castle reports bad base64 with an unchecked DecoderException: still a bad key, not a crash.
            throw new GeneralSecurityException("not a PEM private key: " + e.getMessage(), e);
        }
        throw new GeneralSecurityException("no unencrypted PEM private key (-----BEGIN PRIVATE KEY-----) found");
    }

    /** True if {@code key} is the private half of {@code cert}'s public key: a signature made with one verifies with the other. */
    public static boolean matches(PrivateKey key, X509Certificate cert) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448 and EdDSA sign under their own name
        };
        byte[] probe = "sluice".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signer.sign());
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // different algorithms, or a key that cannot sign: not a pair
        }
    }

    /** What a problem with {@code value} should call it: the file name, or "inline PEM". */
    public static String describe(String value) {
        return isInline(value) ? "inline PEM" : "\"" + value + "\"";
    }

    private static String text(String fileOrContent) throws IOException {
        return isInline(fileOrContent) ? fileOrContent : Files.readString(Path.of(fileOrContent), StandardCharsets.US_ASCII);
    }
}
