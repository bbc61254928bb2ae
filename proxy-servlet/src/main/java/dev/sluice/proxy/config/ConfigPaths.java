package dev.sluice.proxy.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
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
        SluiceConfig resolved = config.with(config.entryPoints(), new HttpConfig(http.routers(), services, middlewares, transports));
        return resolved.withTcpAndTls(resolve(config.tcp(), baseDirectory), resolve(config.tls(), baseDirectory))
                .withProviders(resolve(config.providers(), baseDirectory))
                .withCertificatesResolvers(resolve(config.certificatesResolvers(), baseDirectory))
                .withAccessLog(config.accessLog() == null ? null
                        : config.accessLog().withFilePath(file(baseDirectory, config.accessLog().filePath())));
    }

    /** ACME storage files and CA certificates, like every other file, relative to the file that names them. */
    private static Map<String, CertificatesResolverConfig> resolve(Map<String, CertificatesResolverConfig> resolvers, Path base) {
        Map<String, CertificatesResolverConfig> out = new LinkedHashMap<>();
        resolvers.forEach((name, r) -> out.put(name, r.acme() == null ? r
                : new CertificatesResolverConfig(r.acme().resolvePaths(file -> file(base, file)), r.tailscale())));
        return out;
    }

    private static ProvidersConfig resolve(ProvidersConfig providers, Path base) {
        ProvidersConfig.FileProviderConfig file = providers.file();
        return file == null ? providers
                : providers.withFile(new ProvidersConfig.FileProviderConfig(file(base, file.filename()), file(base, file.directory()), file.watch(),
                        file.debugLogGeneratedTemplate()));
    }

    private static TcpConfig resolve(TcpConfig tcp, Path base) {
        Map<String, TcpServersTransportConfig> transports = new LinkedHashMap<>();
        tcp.serversTransports().forEach((name, t) -> transports.put(name, new TcpServersTransportConfig(t.dialTimeout(),
                t.dialKeepAlive(), t.terminationDelay(), t.proxyProtocol(), resolve(t.tls(), base))));
        return new TcpConfig(tcp.routers(), tcp.services(), tcp.middlewares(), transports);
    }

    private static UpstreamTlsConfig resolve(UpstreamTlsConfig t, Path base) {
        return new UpstreamTlsConfig(t.serverName(), certificates(t.certificates(), base), t.rootCAs().stream().map(f -> file(base, f)).toList(),
                t.insecureSkipVerify(), t.peerCertURI(), t.peerCertSANs(), t.spiffe());
    }

    private static TlsConfig resolve(TlsConfig tls, Path base) {
        Map<String, TlsOptionsConfig> options = new LinkedHashMap<>();
        tls.options().forEach((name, o) -> options.put(name, new TlsOptionsConfig(o.minVersion(), o.maxVersion(), o.cipherSuites(),
                o.curvePreferences(), new TlsOptionsConfig.ClientAuth(o.clientAuth().caFiles().stream().map(f -> file(base, f)).toList(),
                        o.clientAuth().clientAuthType()), o.sniStrict(), o.alpnProtocols(), o.preferServerCipherSuites(),
                o.disableSessionTickets())));
        Map<String, TlsConfig.Store> stores = new LinkedHashMap<>();
        tls.stores().forEach((name, s) -> stores.put(name, new TlsConfig.Store(s.defaultCertificate() == null ? null
                : new TlsConfig.KeyPairFiles(file(base, s.defaultCertificate().certFile()), file(base, s.defaultCertificate().keyFile())),
                s.defaultGeneratedCert())));
        return new TlsConfig(tls.certificates().stream()
                .map(c -> new TlsConfig.Certificate(file(base, c.certFile()), file(base, c.keyFile()), c.stores())).toList(), options, stores);
    }

    private static List<ServersTransportConfig.Certificate> certificates(List<ServersTransportConfig.Certificate> certs,
            Path base) {
        return certs.stream().map(c -> new ServersTransportConfig.Certificate(file(base, c.certFile()), file(base, c.keyFile()))).toList();
    }

    private static ServersTransportConfig resolve(ServersTransportConfig t, Path base) {
        return new ServersTransportConfig(t.serverName(),
                certificates(t.certificates(), base),
                t.rootCAs().stream().map(f -> file(base, f)).toList(),
                t.insecureSkipVerify(), t.peerCertURI(), t.peerCertSANs(), t.maxIdleConnsPerHost(), t.disableHTTP2(), t.forwardingTimeouts());
    }

    private static String file(Path base, String file) {
        // Inline PEM text is no file name.
        return file == null || file.isBlank() || Pem.isInline(file) || Path.of(file).isAbsolute() ? file
                : base.resolve(file).normalize().toString();
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
