package dev.sluice.proxy.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Merges several files into one config; a name defined in two files is an error naming both. */
final class ConfigMerger {
    private ConfigMerger() {}

    static SluiceConfig merge(List<ConfigLoader.Sourced> files) throws ConfigException {
        if (files.size() == 1) {
            return files.get(0).config();
        }
        List<String> problems = new ArrayList<>();
        Section<EntryPointConfig> entryPoints = new Section<>("entryPoints", problems);
        Section<RouterConfig> routers = new Section<>("http.routers", problems);
        Section<ServiceConfig> services = new Section<>("http.services", problems);
        Section<MiddlewareConfig> middlewares = new Section<>("http.middlewares", problems);
        Section<ServersTransportConfig> transports = new Section<>("http.serversTransports", problems);
        for (ConfigLoader.Sourced file : files) {
            SluiceConfig c = file.config();
            entryPoints.add(c.entryPoints(), file.source());
            routers.add(c.http().routers(), file.source());
            services.add(c.http().services(), file.source());
            middlewares.add(c.http().middlewares(), file.source());
            transports.add(c.http().serversTransports(), file.source());
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new SluiceConfig(entryPoints.values,
                new HttpConfig(routers.values, services.values, middlewares.values, transports.values));
    }

    private static final class Section<V> {
        final String path;
        final List<String> problems;
        final Map<String, V> values = new LinkedHashMap<>();
        final Map<String, String> sources = new HashMap<>();

        Section(String path, List<String> problems) {
            this.path = path;
            this.problems = problems;
        }

        void add(Map<String, V> entries, String source) {
            entries.forEach((name, value) -> {
                String first = sources.putIfAbsent(name, source);
                if (first != null) {
                    problems.add(path + "." + name + ": defined in both " + first + " and " + source);
                } else {
                    values.put(name, value);
                }
            });
        }
    }
}
