package dev.sluice.proxy.config;

import java.util.Map;

/** {@code [http]}: routers, services, middlewares and the transports services use upstream. */
public record HttpConfig(
        Map<String, RouterConfig> routers,
        Map<String, ServiceConfig> services,
        Map<String, MiddlewareConfig> middlewares,
        Map<String, ServersTransportConfig> serversTransports) {
    static final HttpConfig EMPTY = new HttpConfig(null, null, null, null);

    public HttpConfig {
        routers = Frozen.map(routers);
        services = Frozen.map(services);
        middlewares = Frozen.map(middlewares);
        serversTransports = Frozen.map(serversTransports);
    }
}
