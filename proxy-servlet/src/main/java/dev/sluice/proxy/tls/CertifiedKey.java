package dev.sluice.proxy.tls;

import dev.sluice.proxy.config.Pem;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * A certificate chain (leaf first) with its private key, and the DNS names the leaf serves: its DNS
 * subject alternative names and its common name, lower-case, wildcards as {@code *.example.com}.
 */
public record CertifiedKey(List<X509Certificate> chain, PrivateKey key, List<String> names) {
    public CertifiedKey {
        chain = List.copyOf(chain);
        names = List.copyOf(names);
    }

    /** Reads a certificate and its key (each a PEM file or inline PEM). */
    public static CertifiedKey load(String certFile, String keyFile) throws IOException, GeneralSecurityException {
        List<X509Certificate> chain = Pem.certificates(certFile);
        return of(chain, Pem.privateKey(keyFile));
    }

    /** The chain and key, with the names read from the leaf. */
    public static CertifiedKey of(List<X509Certificate> chain, PrivateKey key) throws CertificateParsingException {
        return new CertifiedKey(chain, key, names(chain.get(0)));
    }

    X509Certificate leaf() {
        return chain.get(0);
    }

    /** True if the leaf's key suits {@code keyType} as the JDK names it ("RSA", "EC", "RSASSA-PSS", "EdDSA"...). */
    boolean suits(String keyType) {
        return leaf().getPublicKey().getAlgorithm().equalsIgnoreCase(keyType);
    }

    private static List<String> names(X509Certificate cert) throws CertificateParsingException {
        List<String> names = new ArrayList<>();
        Collection<List<?>> sans = cert.getSubjectAlternativeNames();
        if (sans != null) {
            for (List<?> san : sans) {
                if ((Integer) san.get(0) == 2) {
                    names.add(String.valueOf(san.get(1)).toLowerCase(Locale.ROOT));
                }
            }
        }
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    String cn = String.valueOf(rdn.getValue()).toLowerCase(Locale.ROOT);
                    if (!names.contains(cn)) {
                        names.add(cn);
                    }
                }
            }
        } catch (InvalidNameException e) {
            // a subject the JDK printed cannot fail to parse; without a CN the SANs are all there is
        }
        return names;
    }
}
