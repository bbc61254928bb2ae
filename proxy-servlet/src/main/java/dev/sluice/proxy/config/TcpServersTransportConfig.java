package dev.sluice.proxy.config;

import java.time.Duration;

/**
 * {@code [tcp.serversTransports.NAME]}: how the relay dials its upstreams.
 *
 * @param dialTimeout connect timeout, default 30s
 * @param dialKeepAlive TCP keep-alive probes on upstream connections after this long idle and then this often;
 *     default 15s (0 also means 15s, as in Go), negative turns them off
 * @param terminationDelay how long the other half gets after one side half-closes, default 100ms; negative: forever
 * @param proxyProtocol send a PROXY protocol header first
 * @param tls how servers with {@code tls = true} are spoken to: trust, SNI, client certificates
 */
public record TcpServersTransportConfig(Duration dialTimeout, Duration dialKeepAlive, Duration terminationDelay,
        TcpLoadBalancerConfig.ProxyProtocol proxyProtocol, UpstreamTlsConfig tls) {
    private static final UpstreamTlsConfig DEFAULT_TLS = new UpstreamTlsConfig(null, null, null, null, null, null, null);

    public static final TcpServersTransportConfig DEFAULT = new TcpServersTransportConfig(null, null, null, null, null);

    public TcpServersTransportConfig {
        dialTimeout = dialTimeout == null ? Duration.ofSeconds(30) : dialTimeout;
        dialKeepAlive = dialKeepAlive == null ? Duration.ofSeconds(15) : dialKeepAlive;
        terminationDelay = terminationDelay == null ? Duration.ofMillis(100) : terminationDelay;
        tls = tls == null ? DEFAULT_TLS : tls;
    }
}
