package dev.sluice.proxy.config;

import java.util.List;
import java.util.Map;

/** {@code [udp]}: routers (entry points and a service; no rule) and services. */
public record UdpConfig(Map<String, Router> routers, Map<String, TcpServiceConfig> services) {
    static final UdpConfig EMPTY = new UdpConfig(null, null);

    public UdpConfig {
        routers = Frozen.map(routers);
        services = Frozen.map(services);
    }

    /**
     * {@code [udp.routers.NAME]}.
     *
     * @param entryPoints UDP entry points; empty means all of them
     * @param service a {@code [udp.services.NAME]}
     */
    public record Router(List<String> entryPoints, String service) {
        public Router {
            entryPoints = Frozen.list(entryPoints);
        }
    }
}
