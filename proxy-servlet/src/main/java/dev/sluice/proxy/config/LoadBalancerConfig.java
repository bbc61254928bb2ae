package dev.sluice.proxy.config;

import dev.sluice.proxy.balance.HashKey;
import dev.sluice.proxy.balance.Strategy;
import java.time.Duration;
import java.util.List;

/**
 * {@code [http.services.NAME.loadBalancer]}.
 *
 * @param servers the upstreams; none means every request gets 503
 * @param passHostHeader forward the client's {@code Host} (default true) or send the server's
 * @param strategy {@code wrr} (default), {@code p2c}, {@code hrw}, {@code leasttime}, {@code random}, {@code hash}
 * @param hashKey for {@code hash}: {@code ip} (default), {@code url}, {@code path}, {@code header:Name},
 *     {@code cookie:name} or {@code query:name}
 * @param serversTransport name of an {@code [http.serversTransports.NAME]}; default {@code default}
 * @param sticky session affinity by cookie
 * @param healthCheck active health check of every server
 * @param passiveHealthCheck failures of real traffic take a server out for a while
 * @param responseForwarding how responses are flushed to the client
 */
public record LoadBalancerConfig(List<ServerConfig> servers, Boolean passHostHeader, Strategy strategy, HashKey hashKey,
        String serversTransport, StickyConfig sticky, HealthCheckConfig healthCheck,
        PassiveHealthCheckConfig passiveHealthCheck, ResponseForwarding responseForwarding) {
    public LoadBalancerConfig {
        servers = Frozen.list(servers);
        passHostHeader = passHostHeader == null || passHostHeader;
        strategy = strategy == null ? Strategy.WRR : strategy;
        hashKey = hashKey == null ? HashKey.IP : hashKey;
        responseForwarding = responseForwarding == null ? ResponseForwarding.DEFAULT : responseForwarding;
    }

    /** A plain load balancer over {@code servers} with every other option at its default. */
    public static LoadBalancerConfig of(List<ServerConfig> servers, Boolean passHostHeader, Strategy strategy) {
        return new LoadBalancerConfig(servers, passHostHeader, strategy, null, null, null, null, null, null);
    }

    /** A copy with other servers. */
    public LoadBalancerConfig withServers(List<ServerConfig> newServers) {
        return new LoadBalancerConfig(newServers, passHostHeader, strategy, hashKey, serversTransport, sticky, healthCheck,
                passiveHealthCheck, responseForwarding);
    }

    /**
     * One upstream.
     *
     * @param url {@code http://host:port[/path]}, {@code https://…} or {@code h2c://…}
     * @param weight share of traffic, default 1; 0 takes the server out of rotation
     * @param preservePath join the URL's path in front of the request path (default false)
     */
    public record ServerConfig(String url, Integer weight, Boolean preservePath) {
        public ServerConfig {
            weight = weight == null ? 1 : weight;
            preservePath = preservePath != null && preservePath;
        }
    }

    /**
     * {@code responseForwarding}.
     *
     * @param flushInterval how often buffered response bytes are flushed, default 100ms; negative
     *     flushes after every write. Streaming responses (unknown length, event streams) always
     *     flush at once.
     */
    public record ResponseForwarding(Duration flushInterval) {
        static final ResponseForwarding DEFAULT = new ResponseForwarding(null);

        public ResponseForwarding {
            flushInterval = flushInterval == null ? Duration.ofMillis(100) : flushInterval;
        }
    }
}
