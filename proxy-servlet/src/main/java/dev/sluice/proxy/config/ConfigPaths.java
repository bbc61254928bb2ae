package dev.sluice.proxy.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resolves relative file paths in a config against the directory of the file that names them, so
 * {@code java -jar sluice.jar --config conf/quickstart.toml} works from any working directory.
 */
final class ConfigPaths {
    private ConfigPaths() {}

    static SluiceConfig resolve(SluiceConfig config, Path baseDirectory) {
        Map<String, ServiceConfig> services = new LinkedHashMap<>();
        config.http().services().forEach((name, service) -> services.put(name, resolve(service, baseDirectory)));
        Map<String, ServersTransportConfig> transports = new LinkedHashMap<>();
        config.http().serversTransports().forEach((name, t) -> transports.put(name, resolve(t, baseDirectory)));
        HttpConfig http = config.http();
        Map<String, MiddlewareConfig> middlewares = new LinkedHashMap<>();
        http.middlewares().forEach((name, m) -> middlewares.put(name,
                m.options() == null ? m : m.withOptions(m.options().resolvePaths(file -> file(baseDirectory, file)))));
        return config.with(config.entryPoints(), new HttpConfig(http.routers(), services, middlewares, transports));
    }

    private static ServersTransportConfig resolve(ServersTransportConfig t, Path base) {
        return new ServersTransportConfig(t.serverName(),
                t.certificates().stream().map(c -> new ServersTransportConfig.Certificate(file(base, c.certFile()), file(base, c.keyFile()))).toList(),
                t.rootCAs().stream().map(f -> file(base, f)).toList(),
                t.insecureSkipVerify(), t.peerCertURI(), t.peerCertSANs(), t.maxIdleConnsPerHost(), t.disableHTTP2(), t.forwardingTimeouts());
    }

    private static String file(Path base, String file) {
        return file == null || file.isBlank() || Path.of(file).isAbsolute() ? file : base.resolve(file).normalize().toString();
    }

    private static ServiceConfig resolve(ServiceConfig service, Path base) {
        StaticConfig site = service.staticFiles();
        if (site == null || site.root() == null || Path.of(site.root()).isAbsolute()) {
            return service;
        }
        String root = base.resolve(site.root()).normalize().toString();
        return service.withStaticFiles(new StaticConfig(root, site.index(), site.spa(), site.notFound()));
    }
}
