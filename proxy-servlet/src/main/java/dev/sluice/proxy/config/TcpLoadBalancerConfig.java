package dev.sluice.proxy.config;

import dev.sluice.proxy.balance.Strategy;
import java.time.Duration;
import java.util.List;

/**
 * {@code [tcp.services.NAME.loadBalancer]} (UDP services use {@code servers} only).
 *
 * @param servers the upstreams, {@code address = "host:port"}
 * @param serversTransport name of a {@code [tcp.serversTransports.NAME]}
 * @param proxyProtocol send a PROXY protocol header (version 1 or 2) with the client's address first
 * @param terminationDelay milliseconds the other half gets after one side half-closes, default 100; negative: forever
 * @param healthCheck active check of every server (TCP connect, or {@code send}/{@code expect})
 * @param strategy how a new connection (a new UDP session) picks its server, as an HTTP load
 *     balancer's {@code strategy}: {@code wrr} (default), {@code random}, {@code p2c} (fewest
 *     connections of two), {@code hrw} or {@code hash} (both by client IP); not {@code leasttime}
 */
public record TcpLoadBalancerConfig(List<Server> servers, String serversTransport, ProxyProtocol proxyProtocol,
        Integer terminationDelay, TcpHealthCheckConfig healthCheck, Strategy strategy) {
    public TcpLoadBalancerConfig {
        servers = Frozen.list(servers);
        strategy = strategy == null ? Strategy.WRR : strategy;
    }

    /**
     * One upstream.
     *
     * @param address {@code host:port}
     * @param weight share of connections, default 1; 0 takes the server out of rotation
     * @param tls connect to this server with TLS, as the load balancer's {@code serversTransport} says (TCP only)
     */
    public record Server(String address, Integer weight, Boolean tls) {
        public Server {
            weight = weight == null ? 1 : weight;
            tls = tls != null && tls;
        }
    }

    /** {@code proxyProtocol}: {@code version} 1 (text) or 2 (binary, the default). */
    public record ProxyProtocol(Integer version) {
        public ProxyProtocol {
            version = version == null ? 2 : version;
        }
    }

    /**
     * {@code healthCheck} of a TCP load balancer.
     *
     * @param port check this port instead of the server's
     * @param send bytes to send after connecting (optional)
     * @param expect bytes the answer must start with (optional)
     * @param interval between checks, default 30s
     * @param unhealthyInterval between checks of an unhealthy server, default {@code interval}
     * @param timeout of one check, default 5s
     */
    public record TcpHealthCheckConfig(Integer port, String send, String expect, Duration interval,
            Duration unhealthyInterval, Duration timeout) {
        public TcpHealthCheckConfig {
            interval = interval == null ? Duration.ofSeconds(30) : interval;
            unhealthyInterval = unhealthyInterval == null ? interval : unhealthyInterval;
            timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
        }
    }
}
