package dev.sluice.proxy.config;

import java.time.Duration;

/**
 * {@code [http.serversTransports.NAME]}: how Sluice talks to upstream servers. One upstream client is
 * built per transport and shared by every service naming it; {@code default} is used otherwise.
 *
 * @param maxIdleConnsPerHost idle connections kept per upstream (Traefik's default 2 is raised to
 *     the pool size: a proxy lives on reuse)
 * @param disableHTTP2 speak HTTP/1.1 only, even to servers offering h2
 * @param forwardingTimeouts dial, response-header and idle timeouts
 */
public record ServersTransportConfig(Integer maxIdleConnsPerHost, Boolean disableHTTP2, ForwardingTimeouts forwardingTimeouts) {
    public static final ServersTransportConfig DEFAULT = new ServersTransportConfig(null, null, null);

    public ServersTransportConfig {
        maxIdleConnsPerHost = maxIdleConnsPerHost == null ? 0 : maxIdleConnsPerHost;
        disableHTTP2 = disableHTTP2 != null && disableHTTP2;
        forwardingTimeouts = forwardingTimeouts == null ? ForwardingTimeouts.DEFAULT : forwardingTimeouts;
    }

    /**
     * {@code forwardingTimeouts}.
     *
     * @param dialTimeout connect timeout, default 30s
     * @param responseHeaderTimeout time to the response headers once the request is sent; 0 = none
     * @param idleConnTimeout how long an upstream connection may stay idle, default 90s
     */
    public record ForwardingTimeouts(Duration dialTimeout, Duration responseHeaderTimeout, Duration idleConnTimeout) {
        static final ForwardingTimeouts DEFAULT = new ForwardingTimeouts(null, null, null);

        public ForwardingTimeouts {
            dialTimeout = dialTimeout == null ? Duration.ofSeconds(30) : dialTimeout;
            responseHeaderTimeout = responseHeaderTimeout == null ? Duration.ZERO : responseHeaderTimeout;
            idleConnTimeout = idleConnTimeout == null ? Duration.ofSeconds(90) : idleConnTimeout;
        }
    }
}
