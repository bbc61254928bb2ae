package dev.sluice.proxy.config;

import java.util.List;
import java.util.Map;

/**
 * TLS towards upstream servers: the {@code tls} table of a {@code [tcp.serversTransports.NAME]}, and
 * the same keys written flat in an {@code [http.serversTransports.NAME]} (see
 * {@link ServersTransportConfig#upstreamTls()}). By default the JVM's trust store applies and the
 * certificate must name the host connected to.
 *
 * @param serverName SNI sent, and the name the certificate must match instead of the host
 * @param certificates client certificates for mutual TLS (PEM files or text)
 * @param rootCAs CAs trusted for upstream certificates (PEM files or text; default: the JVM's)
 * @param insecureSkipVerify accept any upstream certificate (tests and emergencies only)
 * @param peerCertURI the certificate must carry this URI SAN (deprecated form of {@code peerCertSANs})
 * @param peerCertSANs the certificate must carry one of these subject alternative names
 * @param spiffe SPIFFE identities: not supported (rejected by validation)
 */
public record UpstreamTlsConfig(String serverName, List<ServersTransportConfig.Certificate> certificates, List<String> rootCAs,
        Boolean insecureSkipVerify, String peerCertURI, List<ServersTransportConfig.PeerSan> peerCertSANs, Map<String, Object> spiffe) {
    public UpstreamTlsConfig {
        certificates = Frozen.list(certificates);
        rootCAs = Frozen.list(rootCAs);
        insecureSkipVerify = insecureSkipVerify != null && insecureSkipVerify;
        peerCertSANs = Frozen.list(peerCertSANs);
    }
}
