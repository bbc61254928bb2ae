package dev.sluice.proxy.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges several files into one config; a name defined in two files is a problem naming both (the
 * first definition is kept, so validation can go on).
 */
final class ConfigMerger {
    private ConfigMerger() {}

    static SluiceConfig merge(List<ConfigLoader.Sourced> files, Problems problems) {
        if (files.size() == 1) {
            return files.get(0).config();
        }
        Section<EntryPointConfig> entryPoints = new Section<>("entryPoints", problems);
        Section<RouterConfig> routers = new Section<>("http.routers", problems);
        Section<ServiceConfig> services = new Section<>("http.services", problems);
        Section<MiddlewareConfig> middlewares = new Section<>("http.middlewares", problems);
        Section<ServersTransportConfig> transports = new Section<>("http.serversTransports", problems);
        Section<TcpRouterConfig> tcpRouters = new Section<>("tcp.routers", problems);
        Section<TcpServiceConfig> tcpServices = new Section<>("tcp.services", problems);
        Section<TcpMiddlewareConfig> tcpMiddlewares = new Section<>("tcp.middlewares", problems);
        Section<TcpServersTransportConfig> tcpTransports = new Section<>("tcp.serversTransports", problems);
        Section<UdpConfig.Router> udpRouters = new Section<>("udp.routers", problems);
        Section<TcpServiceConfig> udpServices = new Section<>("udp.services", problems);
        Section<TlsOptionsConfig> tlsOptions = new Section<>("tls.options", problems);
        Section<TlsConfig.Store> tlsStores = new Section<>("tls.stores", problems);
        List<TlsConfig.Certificate> certificates = new ArrayList<>();
        for (ConfigLoader.Sourced file : files) {
            SluiceConfig c = file.config();
            entryPoints.add(c.entryPoints(), file.source());
            routers.add(c.http().routers(), file.source());
            services.add(c.http().services(), file.source());
            middlewares.add(c.http().middlewares(), file.source());
            transports.add(c.http().serversTransports(), file.source());
            tcpRouters.add(c.tcp().routers(), file.source());
            tcpServices.add(c.tcp().services(), file.source());
            tcpMiddlewares.add(c.tcp().middlewares(), file.source());
            tcpTransports.add(c.tcp().serversTransports(), file.source());
            udpRouters.add(c.udp().routers(), file.source());
            udpServices.add(c.udp().services(), file.source());
            tlsOptions.add(c.tls().options(), file.source());
            tlsStores.add(c.tls().stores(), file.source());
            certificates.addAll(c.tls().certificates());
        }
        return new SluiceConfig(entryPoints.values,
                new HttpConfig(routers.values, services.values, middlewares.values, transports.values),
                new TcpConfig(tcpRouters.values, tcpServices.values, tcpMiddlewares.values, tcpTransports.values),
                new UdpConfig(udpRouters.values, udpServices.values),
                new TlsConfig(certificates, tlsOptions.values, tlsStores.values));
    }

    private static final class Section<V> {
        final String path;
        final Problems problems;
        final Map<String, V> values = new LinkedHashMap<>();
        final Map<String, String> sources = new HashMap<>();

        Section(String path, Problems problems) {
            this.path = path;
            this.problems = problems;
        }

        void add(Map<String, V> entries, String source) {
            entries.forEach((name, value) -> {
                String first = sources.putIfAbsent(name, source);
                if (first != null) {
                    problems.add(path + "." + name, "defined in both " + first + " and " + source);
                } else {
                    values.put(name, value);
                }
            });
        }
    }
}
