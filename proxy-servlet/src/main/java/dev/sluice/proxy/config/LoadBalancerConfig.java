package dev.sluice.proxy.config;

import java.util.List;

/**
 * {@code [http.services.NAME.loadBalancer]}.
 *
 * @param servers the upstreams; none means every request gets 503
 * @param passHostHeader forward the client's {@code Host} (default true) or send the server's
 * @param strategy {@code wrr} (default, smooth weighted round-robin), {@code random} or {@code p2c}
 * @param serversTransport name of an {@code [http.serversTransports.NAME]}; default {@code default}
 */
public record LoadBalancerConfig(List<ServerConfig> servers, Boolean passHostHeader, String strategy, String serversTransport) {
    public static final String DEFAULT_STRATEGY = "wrr";

    public LoadBalancerConfig {
        servers = Frozen.list(servers);
        passHostHeader = passHostHeader == null || passHostHeader;
        strategy = strategy == null ? DEFAULT_STRATEGY : strategy;
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
}
