package dev.sluice.proxy.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Merges several files into one config. A name defined in two files is an error naming both; or,
 * for the file provider's files ({@link #mergeDropping}), Traefik's rule: the same definition twice
 * is one, two different ones drop that resource (with an error naming both files) and the rest applies.
 */
final class ConfigMerger {
    private ConfigMerger() {}

    /** Merges; each name defined in two files is a problem naming both (the first definition is kept, so validation can go on). */
    static SluiceConfig merge(List<ConfigLoader.Sourced> files, Problems problems) {
        return merge(files, problems::add, false);
    }

    /** Merges, dropping each resource defined differently in two files; {@code dropped} gets one error per resource. */
    static SluiceConfig mergeDropping(List<ConfigLoader.Sourced> files, List<String> dropped) {
        return merge(files, (path, message) -> dropped.add(path + ": " + message), true);
    }

    private static SluiceConfig merge(List<ConfigLoader.Sourced> files, BiConsumer<String, String> problems, boolean dropConflicts) {
        if (files.size() == 1) {
            return files.get(0).config();
        }
        Section<EntryPointConfig> entryPoints = new Section<>("entryPoints", problems);
        // (Every Section below reports to problems: an error, or in dropping mode a dropped resource.)
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
        ProvidersConfig providers = ProvidersConfig.NONE;
        String providersSource = null;
        LogConfig log = LogConfig.NONE;
        String logSource = null;
        Section<CertificatesResolverConfig> resolvers = new Section<>("certificatesResolvers", problems);
        UnsupportedSections unsupported = UnsupportedSections.NONE;
        Map<String, String> unsupportedSources = new HashMap<>();
        ApiConfig api = null;
        PingEndpointConfig ping = null;
        AccessLogConfig accessLog = null;
        EventsConfig events = null;
        Map<String, String> adminSources = new HashMap<>();
        for (ConfigLoader.Sourced file : files) {
            SluiceConfig c = file.config();
            if (!c.log().equals(LogConfig.NONE)) {
                if (logSource != null) {
                    problems.accept("log", "defined in both " + logSource + " and " + file.source());
                } else {
                    log = c.log();
                    logSource = file.source();
                }
            }
            c.unsupported().presentKeys().forEach(key -> unsupportedSources.putIfAbsent(key, file.source()));
            unsupported = unsupported.merge(c.unsupported(),
                    key -> problems.accept(key, "defined in both " + unsupportedSources.get(key) + " and " + file.source()));
            api = single("api", api, c.api(), file.source(), adminSources, problems);
            ping = single("ping", ping, c.ping(), file.source(), adminSources, problems);
            accessLog = single("accessLog", accessLog, c.accessLog(), file.source(), adminSources, problems);
            events = single("events", events, c.events(), file.source(), adminSources, problems);
            if (!c.providers().equals(ProvidersConfig.NONE)) {
                if (providersSource != null) {
                    problems.accept("providers", "defined in both " + providersSource + " and " + file.source());
                } else {
                    providers = c.providers();
                    providersSource = file.source();
                }
            }
            resolvers.add(c.certificatesResolvers(), file.source());
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
        for (Section<?> section : List.of(resolvers, entryPoints, routers, services, middlewares, transports, tcpRouters, tcpServices,
                tcpMiddlewares, tcpTransports, udpRouters, udpServices, tlsOptions, tlsStores)) {
            section.finish(dropConflicts);
        }
        return new SluiceConfig(entryPoints.values, providers,
                new HttpConfig(routers.values, services.values, middlewares.values, transports.values),
                new TcpConfig(tcpRouters.values, tcpServices.values, tcpMiddlewares.values, tcpTransports.values),
                new UdpConfig(udpRouters.values, udpServices.values),
                new TlsConfig(certificates, tlsOptions.values, tlsStores.values), log, resolvers.values, unsupported, null, api, ping,
                accessLog, events);
    }

    /** A static section that one file only may hold: the first one, and a problem if another file has it too. */
    private static <T> T single(String key, T kept, T next, String source, Map<String, String> sources,
            BiConsumer<String, String> problems) {
        if (next == null) {
            return kept;
        }
        if (kept != null) {
            problems.accept(key, "defined in both " + sources.get(key) + " and " + source);
            return kept;
        }
        sources.put(key, source);
        return next;
    }

    private static final class Section<V> {
        final String path;
        final BiConsumer<String, String> problems;
        final Map<String, V> values = new LinkedHashMap<>();
        final Map<String, List<String>> sources = new HashMap<>();
        final Map<String, Boolean> conflicting = new LinkedHashMap<>();

        Section(String path, BiConsumer<String, String> problems) {
            this.path = path;
            this.problems = problems;
        }

        void add(Map<String, V> entries, String source) {
            entries.forEach((name, value) -> {
                List<String> seen = sources.computeIfAbsent(name, k -> new ArrayList<>());
                seen.add(source);
                V first = values.putIfAbsent(name, value);
                if (first != null) {
                    conflicting.merge(name, !first.equals(value), Boolean::logicalOr);
                }
            });
        }

        void finish(boolean dropConflicts) {
            conflicting.forEach((name, different) -> {
                String files = String.join(" and ", sources.get(name));
                if (!dropConflicts) {
                    problems.accept(path + "." + name, "defined in both " + files);
                } else if (different) {
                    values.remove(name);
                    problems.accept(path + "." + name, "defined differently in " + files + "; dropped");
                }
            });
        }
    }
}
