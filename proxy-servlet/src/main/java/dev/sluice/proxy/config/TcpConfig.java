package dev.sluice.proxy.config;

import java.util.Map;

/** {@code [tcp]}: routers, services, middlewares and transports of the L4 relay. */
public record TcpConfig(
        Map<String, TcpRouterConfig> routers,
        Map<String, TcpServiceConfig> services,
        Map<String, TcpMiddlewareConfig> middlewares,
        Map<String, TcpServersTransportConfig> serversTransports) {
    static final TcpConfig EMPTY = new TcpConfig(null, null, null, null);

    public TcpConfig {
        routers = Frozen.map(routers);
        services = Frozen.map(services);
        middlewares = Frozen.map(middlewares);
        serversTransports = Frozen.map(serversTransports);
    }
}
