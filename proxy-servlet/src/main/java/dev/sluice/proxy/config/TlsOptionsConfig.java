package dev.sluice.proxy.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code [tls.options.NAME]}: how Sluice speaks TLS to clients of the routers naming these options.
 *
 * <p>Applied: {@code minVersion}, {@code maxVersion}, {@code cipherSuites} (TLS 1.2 and below; TLS
 * 1.3 suites are always the JDK's, as Traefik ignores the list for 1.3), {@code clientAuth},
 * {@code sniStrict} and {@code alpnProtocols}. Accepted but not applied, because the JDK sets them
 * for the whole JVM only ({@code jdk.tls.namedGroups}, {@code jdk.tls.server.enableSessionTicketExtension}):
 * {@code curvePreferences} and {@code disableSessionTickets}; a warning is logged when they are set.
 * {@code preferServerCipherSuites} is a no-op, as in Traefik.
 *
 * @param minVersion lowest protocol version, {@code VersionTLS10} … {@code VersionTLS13}; default {@code VersionTLS12}.
 *     TLS 1.0 and 1.1 stay off unless the JVM's {@code jdk.tls.disabledAlgorithms} allows them
 * @param maxVersion highest protocol version; default: the highest the JDK knows (TLS 1.3)
 * @param cipherSuites IANA names of the TLS 1.2 (and lower) suites allowed; default: the JDK's
 * @param curvePreferences accepted, not applied (see above)
 * @param clientAuth client certificates: asked for, required, verified
 * @param sniStrict refuse a handshake whose SNI names no configured certificate (or that has no SNI)
 * @param alpnProtocols protocols offered by ALPN; default: none. Unlike Traefik (which offers h2 and
 *     http/1.1), nothing is negotiated unless set: a TCP router relays plaintext to a backend that
 *     cannot speak h2 just because the client offered it
 * @param preferServerCipherSuites accepted, no effect (deprecated in Traefik)
 * @param disableSessionTickets accepted, not applied (see above)
 */
public record TlsOptionsConfig(String minVersion, String maxVersion, List<String> cipherSuites, List<String> curvePreferences,
        ClientAuth clientAuth, Boolean sniStrict, List<String> alpnProtocols, Boolean preferServerCipherSuites,
        Boolean disableSessionTickets) {
    public static final TlsOptionsConfig DEFAULT = new TlsOptionsConfig(null, null, null, null, null, null, null, null, null);

    /** Traefik's version names and the JDK's, lowest first. */
    public static final Map<String, String> VERSIONS = versions();

    public TlsOptionsConfig {
        minVersion = minVersion == null || minVersion.isBlank() ? "VersionTLS12" : minVersion;
        cipherSuites = Frozen.list(cipherSuites);
        curvePreferences = Frozen.list(curvePreferences);
        clientAuth = clientAuth == null ? ClientAuth.NONE : clientAuth;
        sniStrict = sniStrict != null && sniStrict;
        alpnProtocols = alpnProtocols == null ? null : Frozen.list(alpnProtocols);
        preferServerCipherSuites = preferServerCipherSuites != null && preferServerCipherSuites;
        disableSessionTickets = disableSessionTickets != null && disableSessionTickets;
    }

    private static Map<String, String> versions() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("VersionTLS10", "TLSv1");
        v.put("VersionTLS11", "TLSv1.1");
        v.put("VersionTLS12", "TLSv1.2");
        v.put("VersionTLS13", "TLSv1.3");
        return java.util.Collections.unmodifiableMap(v);
    }

    /** The JDK protocol names from {@code minVersion} to {@code maxVersion}, lowest first (names passed validation). */
    public List<String> protocols() {
        List<String> names = List.copyOf(VERSIONS.keySet());
        int from = names.indexOf(minVersion);
        int to = maxVersion == null || maxVersion.isBlank() ? names.size() - 1 : names.indexOf(maxVersion);
        return names.subList(from, to + 1).stream().map(VERSIONS::get).toList();
    }

    /**
     * {@code clientAuth}.
     *
     * @param caFiles CAs a client certificate must chain to (PEM files or text); needed by the verifying types
     * @param clientAuthType {@code NoClientCert} (default), {@code RequestClientCert}, {@code RequireAnyClientCert},
     *     {@code VerifyClientCertIfGiven} or {@code RequireAndVerifyClientCert}
     */
    public record ClientAuth(List<String> caFiles, String clientAuthType) {
        public static final List<String> TYPES = List.of("NoClientCert", "RequestClientCert", "RequireAnyClientCert",
                "VerifyClientCertIfGiven", "RequireAndVerifyClientCert");
        static final ClientAuth NONE = new ClientAuth(null, null);

        public ClientAuth {
            caFiles = Frozen.list(caFiles);
            clientAuthType = clientAuthType == null || clientAuthType.isBlank() ? "NoClientCert" : clientAuthType;
        }

        /** A client certificate is asked for. */
        public boolean requests() {
            return !clientAuthType.equals("NoClientCert");
        }

        /** The handshake fails without a client certificate. */
        public boolean requires() {
            return clientAuthType.startsWith("Require");
        }

        /** A client certificate given must chain to {@code caFiles}. */
        public boolean verifies() {
            return clientAuthType.startsWith("Verify") || clientAuthType.equals("RequireAndVerifyClientCert");
        }
    }
}
