package dev.sluice.proxy.tls;

import dev.sluice.proxy.config.TlsConfig;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Traefik's {@code default} store: the certificates of {@code [[tls.certificates]]} and the one served
 * when none of them names the client's SNI ({@code defaultCertificate}, else a self-signed
 * "TRAEFIK DEFAULT CERT" made at start). Immutable; read from the handshake threads.
 *
 * <p>Choice, as Traefik: a certificate naming the SNI exactly, else one whose wildcard covers it
 * ({@code *.example.com} covers one label), else the default; with {@code sniStrict}, no default.
 */
public final class CertificateStore {
    private final List<CertifiedKey> certificates;
    private final CertifiedKey fallback;
    private final boolean fallbackConfigured;

    private CertificateStore(List<CertifiedKey> certificates, CertifiedKey fallback, boolean fallbackConfigured) {
        this.certificates = List.copyOf(certificates);
        this.fallback = fallback;
        this.fallbackConfigured = fallbackConfigured;
    }

    /** Reads every certificate of {@code tls} (validation has checked them). */
    public static CertificateStore load(TlsConfig tls) throws IOException, GeneralSecurityException {
        List<CertifiedKey> certificates = new ArrayList<>();
        for (TlsConfig.Certificate cert : tls.certificates()) {
            certificates.add(CertifiedKey.load(cert.certFile(), cert.keyFile()));
        }
        TlsConfig.KeyPairFiles configured = tls.defaultCertificate();
        CertifiedKey fallback = configured != null ? CertifiedKey.load(configured.certFile(), configured.keyFile())
                : DefaultCertificate.get();
        return new CertificateStore(certificates, fallback, configured != null);
    }

    /**
     * The certificate for a handshake, or null to refuse it.
     *
     * @param sni the client's server name, or null when it sent none
     * @param keyType the key algorithm the handshake can use ("RSA", "EC"...)
     * @param strict {@code sniStrict}: no default certificate
     */
    CertifiedKey choose(String sni, String keyType, boolean strict) {
        if (sni != null && !sni.isEmpty()) {
            String host = sni.toLowerCase(Locale.ROOT);
            for (CertifiedKey cert : certificates) {
                if (cert.suits(keyType) && cert.names().contains(host)) {
                    return cert;
                }
            }
            int dot = host.indexOf('.');
            String wildcard = dot > 0 ? "*" + host.substring(dot) : null;
            for (CertifiedKey cert : certificates) {
                if (wildcard != null && cert.suits(keyType) && cert.names().contains(wildcard)) {
                    return cert;
                }
            }
        }
        return strict || !fallback.suits(keyType) ? null : fallback;
    }

    /**
     * The leaf of every certificate configured ({@code [[tls.certificates]]}, then {@code defaultCertificate}),
     * without a generated default: what {@code tls_certs_not_after} reports.
     */
    public List<java.security.cert.X509Certificate> configuredLeaves() {
        List<java.security.cert.X509Certificate> leaves = new ArrayList<>();
        certificates.forEach(cert -> leaves.add(cert.leaf()));
        if (fallbackConfigured) {
            leaves.add(fallback.leaf());
        }
        return leaves;
    }

    /**
     * The one certificate of a listener that cannot choose by SNI (HTTP/3 over quiche): the configured
     * {@code defaultCertificate}, else the first {@code [[tls.certificates]]}, else the generated default.
     */
    public CertifiedKey primary() {
        return fallbackConfigured || certificates.isEmpty() ? fallback : certificates.get(0);
    }

    /** Every certificate, the default last (a handshake names one by its index). */
    List<CertifiedKey> all() {
        List<CertifiedKey> all = new ArrayList<>(certificates);
        all.add(fallback);
        return all;
    }
}
