package dev.sluice.proxy.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code [certificatesResolvers.NAME.acme]}: certificates ordered from an ACME CA, with Traefik's keys
 * and defaults. Checked by {@link AcmeValidator}; run by {@code dev.sluice.proxy.tls.acme.AcmeResolver}.
 *
 * @param email contact address of the ACME account
 * @param caServer the CA's directory URL, default {@link #LETS_ENCRYPT} (production)
 * @param storage file holding the account, the certificates and Sluice's issuance ledger, in Traefik's
 *     {@code acme.json} format (one file may serve several resolvers), default {@code acme.json}
 * @param keyType key of the certificates: EC256 (default), EC384, RSA2048 or RSA4096
 * @param certificatesDuration hours a certificate is taken to be valid (the shorter of this and its own
 *     validity plans the renewal, when a third of it is left), default 2160 (90 days)
 * @param preferredChain common name of the root whose chain is served when the CA offers several
 * @param caCertificates PEM files (or inline PEM) trusted for the CA's HTTPS, instead of the JDK's roots
 * @param caSystemCertPool with {@code caCertificates}, trust the JDK's roots too
 * @param caServerName not supported yet (the CA's TLS server name)
 * @param clientTimeout timeout of each request to the CA, default 2 minutes
 * @param clientResponseHeaderTimeout not supported yet (Sluice has the one {@code clientTimeout})
 * @param profile not supported yet (an ACME profile)
 * @param emailAddresses not supported yet (addresses in the CSR)
 * @param disableCommonName not supported yet (Sluice's CSRs name the first domain as common name)
 * @param eab external account binding, for CAs that require one
 * @param httpChallenge answer HTTP-01 challenges on this entry point
 * @param tlsChallenge answer TLS-ALPN-01 challenges (ALPN {@code acme-tls/1}) on the TLS entry points
 * @param dnsChallenge answer DNS-01 challenges through a provider ({@code exec} only)
 */
public record AcmeConfig(String email, String caServer, String storage, String keyType, Integer certificatesDuration,
        String preferredChain, List<String> caCertificates, Boolean caSystemCertPool, String caServerName, Duration clientTimeout,
        Duration clientResponseHeaderTimeout, String profile, List<String> emailAddresses, Boolean disableCommonName, Eab eab,
        HttpChallenge httpChallenge, TlsChallenge tlsChallenge, DnsChallenge dnsChallenge) {
    /** Let's Encrypt's production directory, Traefik's default {@code caServer}. */
    public static final String LETS_ENCRYPT = "https://acme-v02.api.letsencrypt.org/directory";
    /** The key types Traefik accepts, the first the default. */
    public static final List<String> KEY_TYPES = List.of("EC256", "EC384", "RSA2048", "RSA4096");

    /** A copy with {@code storage} and {@code caCertificates} resolved by {@code file} (against the config file's directory). */
    AcmeConfig resolvePaths(java.util.function.UnaryOperator<String> file) {
        return new AcmeConfig(email, caServer, file.apply(storage), keyType, certificatesDuration, preferredChain,
                caCertificates.stream().map(file).toList(), caSystemCertPool, caServerName, clientTimeout, clientResponseHeaderTimeout,
                profile, emailAddresses, disableCommonName, eab, httpChallenge, tlsChallenge, dnsChallenge);
    }

    public AcmeConfig {
        caServer = caServer == null ? LETS_ENCRYPT : caServer;
        storage = storage == null ? "acme.json" : storage;
        keyType = keyType == null ? KEY_TYPES.get(0) : keyType;
        certificatesDuration = certificatesDuration == null ? 2160 : certificatesDuration;
        caCertificates = Frozen.list(caCertificates);
        caSystemCertPool = caSystemCertPool != null && caSystemCertPool;
        clientTimeout = clientTimeout == null ? Duration.ofMinutes(2) : clientTimeout;
        emailAddresses = Frozen.list(emailAddresses);
    }

    /**
     * {@code eab}: external account binding.
     *
     * @param kid key identifier given by the CA
     * @param hmacEncoded the MAC key, base64url as the CA gives it
     */
    public record Eab(String kid, String hmacEncoded) {}

    /**
     * {@code httpChallenge}.
     *
     * @param entryPoint the plain entry point (port 80 as the CA sees it) that serves
     *     {@code /.well-known/acme-challenge/TOKEN}
     * @param delay not supported yet (Traefik's wait before asking the CA to validate)
     */
    public record HttpChallenge(String entryPoint, Duration delay) {}

    /**
     * {@code tlsChallenge}: an empty table switches it on.
     *
     * @param delay not supported yet (Traefik's wait before asking the CA to validate)
     */
    public record TlsChallenge(Duration delay) {}

    /**
     * {@code dnsChallenge}.
     *
     * @param provider {@code exec} (a script, Traefik's exec-provider contract: {@code $EXEC_PATH present|cleanup
     *     FQDN VALUE}); any other is refused
     * @param resolvers not supported yet (DNS servers for the propagation check)
     * @param delayBeforeCheck not supported yet
     * @param disablePropagationCheck not supported yet; Sluice asks the CA to validate once the script returns
     * @param propagation not supported yet (Traefik v3.3's form of the two above)
     */
    public record DnsChallenge(String provider, List<String> resolvers, Duration delayBeforeCheck, Boolean disablePropagationCheck,
            com.fasterxml.jackson.databind.JsonNode propagation) {
        public DnsChallenge {
            resolvers = Frozen.list(resolvers);
        }
    }
}
