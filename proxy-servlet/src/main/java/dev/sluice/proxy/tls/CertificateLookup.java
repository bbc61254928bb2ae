package dev.sluice.proxy.tls;

import java.util.Optional;

/**
 * Certificates that come and go while an entry point serves (ACME's), asked before the {@link CertificateStore}
 * at each handshake: what it gives for the SNI name is served, else the store chooses as before. Must not block.
 *
 * <pre>
 * CertificateLookup acme = sni -&gt; resolver.certificate(sni);
 * ServerTls tls = ServerTls.of(options, store, acme);
 * </pre>
 */
@FunctionalInterface
public interface CertificateLookup {
    /** Nothing: the store serves every name. */
    CertificateLookup NONE = sni -> Optional.empty();

    /** The certificate to serve for SNI name {@code sni} (never null or empty), if this source has one now. */
    Optional<CertifiedKey> find(String sni);
}
