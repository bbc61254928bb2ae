package dev.sluice.proxy.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code [http.serversTransports.NAME]}: how Sluice talks to upstream servers. One upstream client is
 * built per transport and shared by every service naming it; {@code default} is used otherwise.
 *
 * @param serverName SNI sent to HTTPS upstreams, and the name their certificate must match
 * @param certificates client certificates for mutual TLS (PEM files or text)
 * @param rootCAs CAs trusted for upstream certificates, PEM files or text (default: the JVM's)
 * @param insecureSkipVerify accept any upstream certificate (tests and emergencies only)
 * @param peerCertURI deprecated form of {@code peerCertSANs} with one URI
 * @param peerCertSANs the upstream certificate must carry one of these subject alternative names
 * @param maxIdleConnsPerHost idle connections kept per upstream; 0 (default, unlike Traefik's 2) = all of them
 * @param disableHTTP2 speak HTTP/1.1 only, even to servers offering h2
 * @param forwardingTimeouts dial, response-header, idle and HTTP/2 ping timeouts
 */
public record ServersTransportConfig(String serverName, List<Certificate> certificates, List<String> rootCAs,
        Boolean insecureSkipVerify, String peerCertURI, List<PeerSan> peerCertSANs, Integer maxIdleConnsPerHost,
        Boolean disableHTTP2, ForwardingTimeouts forwardingTimeouts) {
    public static final ServersTransportConfig DEFAULT = new ServersTransportConfig(null, null, null, null, null, null, null, null, null);

    public ServersTransportConfig {
        certificates = Frozen.list(certificates);
        rootCAs = Frozen.list(rootCAs);
        insecureSkipVerify = insecureSkipVerify != null && insecureSkipVerify;
        peerCertSANs = Frozen.list(peerCertSANs);
        maxIdleConnsPerHost = maxIdleConnsPerHost == null ? 0 : maxIdleConnsPerHost;
        disableHTTP2 = disableHTTP2 != null && disableHTTP2;
        forwardingTimeouts = forwardingTimeouts == null ? ForwardingTimeouts.DEFAULT : forwardingTimeouts;
    }

    /** The TLS part of this transport, in the form TCP transports write it. */
    public UpstreamTlsConfig upstreamTls() {
        return new UpstreamTlsConfig(serverName, certificates, rootCAs, insecureSkipVerify, peerCertURI, peerCertSANs, null);
    }

    /** {@code certificates[]}: a client certificate (chain) and its private key, both PEM files. */
    public record Certificate(String certFile, String keyFile) {}

    /**
     * {@code peerCertSANs[]}.
     *
     * @param type {@code DNSName} or {@code URI}
     */
    public record PeerSan(String type, String value) {}

    /**
     * {@code forwardingTimeouts}.
     *
     * @param dialTimeout connect timeout, default 30s
     * @param responseHeaderTimeout time to the response headers once the request is sent; 0 = none
     * @param idleConnTimeout how long an upstream connection may stay idle, default 90s
     * @param readIdleTimeout HTTP/2: ping a connection silent for this long; 0 (default) = never
     * @param pingTimeout HTTP/2: close a connection whose ping is not answered in time, default 15s
     * @param tunnelIdleTimeout extension: an upgraded connection (WebSocket, any HTTP/1.1 {@code Upgrade}) that
     *     carries no byte either way for this long is closed, default 180s; 0 = never. Request timeouts do not apply to it.
     */
    public record ForwardingTimeouts(Duration dialTimeout, Duration responseHeaderTimeout, Duration idleConnTimeout,
            Duration readIdleTimeout, Duration pingTimeout, Duration tunnelIdleTimeout) {
        static final ForwardingTimeouts DEFAULT = new ForwardingTimeouts(null, null, null, null, null, null);

        public ForwardingTimeouts {
            dialTimeout = dialTimeout == null ? Duration.ofSeconds(30) : dialTimeout;
            responseHeaderTimeout = responseHeaderTimeout == null ? Duration.ZERO : responseHeaderTimeout;
            idleConnTimeout = idleConnTimeout == null ? Duration.ofSeconds(90) : idleConnTimeout;
            readIdleTimeout = readIdleTimeout == null ? Duration.ZERO : readIdleTimeout;
            pingTimeout = pingTimeout == null ? Duration.ofSeconds(15) : pingTimeout;
            tunnelIdleTimeout = tunnelIdleTimeout == null ? Duration.ofSeconds(180) : tunnelIdleTimeout;
        }
    }
}
