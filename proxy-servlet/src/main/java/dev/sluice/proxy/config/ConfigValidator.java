package dev.sluice.proxy.config;

import dev.sluice.proxy.config.middleware.ChainConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks what binding cannot: references between sections, rules, URLs, addresses and value
 * ranges. Collects every problem rather than stopping at the first, so one run shows them all.
 */
public final class ConfigValidator {
    private static final Set<String> UPSTREAM_SCHEMES = Set.of("http", "https", "h2c");

    private final SluiceConfig config;
    private final Problems problems;

    private ConfigValidator(SluiceConfig config, Problems problems) {
        this.config = config;
        this.problems = problems;
    }

    /** Validates {@code config} on its own; throws with every problem found. */
    public static void validate(SluiceConfig config) throws ConfigException {
        Problems problems = new Problems();
        validate(config, problems);
        problems.throwIfAny();
    }

    /**
     * Adds every problem of {@code config} to {@code problems}, after those already there (binding
     * reports the values that do not parse as it reads them).
     */
    public static void validate(SluiceConfig config, Problems problems) {
        ConfigValidator validator = new ConfigValidator(config, problems);
        validator.entryPoints();
        validator.providers();
        validator.routers();
        validator.admin();
        validator.services();
        validator.middlewares();
        TlsValidator tls = new TlsValidator(config, problems);
        validator.serversTransports(tls);
        new L4Validator(config, problems, tls).validate();
        tls.validate();
        new AcmeValidator(config, problems).validate();
        MetricsValidator.validate(config, problems);
        TracingValidator.validate(config, problems);
    }

    private void entryPoints() {
        config.entryPoints().forEach((name, ep) -> {
            String path = "entryPoints." + name;
            try {
                EntryPointAddress address = EntryPointAddress.parse(ep.address());
                if (address.isUnix()) {
                    unixEntryPoint(name, path);
                    if (ep.http3() != null) {
                        problems.add(path + ".http3", "HTTP/3 runs over UDP: not on a unix socket entry point");
                    }
                } else if (ep.unixSocket().mode() != null) {
                    problems.add(path + ".unixSocket.mode", "only for a unix socket address (address = \"unix:/path\")");
                }
            } catch (IllegalArgumentException e) {
                problems.add(path + ".address", e.getMessage());
            }
            if (ep.http3() != null && ep.http3().advertisedPort() != null
                    && (ep.http3().advertisedPort() < 0 || ep.http3().advertisedPort() > 65535)) {
                problems.add(path + ".http3.advertisedPort", "must be between 1 and 65535 (0: the entry point's port), got "
                        + ep.http3().advertisedPort());
            }
            List<String> epMiddlewares = ep.http().middlewares();
            for (int i = 0; i < epMiddlewares.size(); i++) {
                reference(path + ".http.middlewares[" + i + "]", epMiddlewares.get(i), config.http().middlewares(), "middleware", true);
            }
            List<String> proxyTrusted = ep.proxyProtocol().trustedIPs();
            for (int i = 0; i < proxyTrusted.size(); i++) {
                if (!IpRanges.isValid(proxyTrusted.get(i))) {
                    problems.add(path + ".proxyProtocol.trustedIPs[" + i + "]", "invalid IP or CIDR \"" + proxyTrusted.get(i) + "\"");
                }
            }
            EntryPointConfig.RespondingTimeouts timeouts = ep.transport().respondingTimeouts();
            notNegative(path + ".transport.respondingTimeouts.readTimeout", timeouts.readTimeout(), "0 (no limit)");
            notNegative(path + ".transport.respondingTimeouts.writeTimeout", timeouts.writeTimeout(), "0 (no limit)");
            notNegative(path + ".transport.respondingTimeouts.idleTimeout", timeouts.idleTimeout(), "0 (never)");
            EntryPointConfig.LifeCycle lifeCycle = ep.transport().lifeCycle();
            notNegative(path + ".transport.lifeCycle.requestAcceptGraceTimeout", lifeCycle.requestAcceptGraceTimeout(), "0");
            notNegative(path + ".transport.lifeCycle.graceTimeOut", lifeCycle.graceTimeOut(), "0");
            if (!positive(ep.udp().timeout())) {
                problems.add(path + ".udp.timeout", "must be positive, got " + Durations.format(ep.udp().timeout()));
            }
            List<String> trusted = ep.forwardedHeaders().trustedIPs();
            for (int i = 0; i < trusted.size(); i++) {
                if (!IpRanges.isValid(trusted.get(i))) {
                    problems.add(path + ".forwardedHeaders.trustedIPs[" + i + "]", "invalid IP or CIDR \"" + trusted.get(i) + "\"");
                }
            }
        });
    }

    private void notNegative(String path, java.time.Duration value, String zero) {
        if (value.isNegative()) {
            problems.add(path, "must be " + zero + " or more, got " + Durations.format(value));
        }
    }

    private void providers() {
        ProvidersConfig providers = config.providers();
        notNegative("providers.providersThrottleDuration", providers.providersThrottleDuration(), "0");
        ProvidersConfig.FileProviderConfig file = providers.file();
        if (file == null) {
            return;
        }
        boolean hasFile = file.filename() != null && !file.filename().isBlank();
        boolean hasDirectory = file.directory() != null && !file.directory().isBlank();
        if (hasFile == hasDirectory) {
            problems.add("providers.file", hasFile ? "set filename or directory, not both" : "set filename or directory");
        } else if (hasFile && !Files.isRegularFile(Path.of(file.filename()))) {
            problems.add("providers.file.filename", "no such file: \"" + file.filename() + "\"");
        } else if (hasDirectory && !Files.isDirectory(Path.of(file.directory()))) {
            problems.add("providers.file.directory", "not a directory: \"" + file.directory() + "\"");
        }
    }

    private void routers() {
        HttpConfig http = config.http();
        http.routers().forEach((name, router) -> {
            String path = "http.routers." + name;
            // A rule that does not compile was reported when it was bound, and binds as null too.
            if (router.rule() == null && !problems.concerns(path + ".rule")) {
                problems.add(path + ".rule", "missing rule, e.g. rule = \"PathPrefix(`/`)\"");
            }
            if (InternalRouting.isInternalRouter(name)) {
                problems.add(path, "the names ending in @internal are Sluice's own routers; choose another name");
            }
            if (InternalServiceNames.isInternal(router.service())) {
                String problem = InternalServiceNames.problem(router.service(), config);
                if (problem != null) {
                    problems.add(path + ".service", problem);
                }
            } else {
                reference(path + ".service", router.service(), http.services(), "service", true);
            }
            for (int i = 0; i < router.entryPoints().size(); i++) {
                reference(path + ".entryPoints[" + i + "]", router.entryPoints().get(i), config.entryPoints(), "entry point", true);
            }
            for (int i = 0; i < router.middlewares().size(); i++) {
                reference(path + ".middlewares[" + i + "]", router.middlewares().get(i), http.middlewares(), "middleware", true);
            }
        });
    }

    /** {@code [api]} and {@code [ping]}. */
    private void admin() {
        if (config.api() != null && !config.api().basePath().matches("/[a-zA-Z0-9/_.:~-]*")) {
            problems.add("api.basePath", "must start with / and hold only letters, digits and / _ . : ~ -, got \""
                    + config.api().basePath() + "\"");
        }
        PingEndpointConfig ping = config.ping();
        if (ping == null) {
            return;
        }
        if (!ping.manualRouting() && !ping.entryPoint().equals(InternalRouting.ENTRY_POINT)) {
            reference("ping.entryPoint", ping.entryPoint(), config.entryPoints(), "entry point", true);
        }
        if (ping.terminatingStatusCode() < 100 || ping.terminatingStatusCode() > 599) {
            problems.add("ping.terminatingStatusCode", "must be an HTTP status from 100 to 599, got " + ping.terminatingStatusCode());
        }
    }

    private void services() {
        ServiceTreeValidator tree = new ServiceTreeValidator(config.http().services(), problems);
        config.http().services().forEach((name, service) -> {
            String path = "http.services." + name;
            Map<String, Object> kinds = service.kinds();
            if (kinds.size() != 1) {
                problems.add(path, kinds.isEmpty()
                        ? "no service kind; set one of loadBalancer, weighted, highestRandomWeight, mirroring, failover, static"
                        : "exactly one service kind allowed, found " + String.join(" and ", kinds.keySet()));
                return;
            }
            if (service.loadBalancer() != null) {
                loadBalancer(path + ".loadBalancer", service.loadBalancer());
            }
            if (service.staticFiles() != null) {
                staticFiles(path + ".static", service.staticFiles());
            }
            tree.validate(name, service);
        });
    }

    private void loadBalancer(String path, LoadBalancerConfig lb) {
        for (int i = 0; i < lb.servers().size(); i++) {
            LoadBalancerConfig.ServerConfig server = lb.servers().get(i);
            String serverPath = path + ".servers[" + i + "]";
            upstreamUrl(serverPath + ".url", server.url());
            if (server.weight() < 0) {
                problems.add(serverPath + ".weight", "must be 0 or more, got " + server.weight());
            }
        }
        if (lb.serversTransport() != null && !lb.serversTransport().equals("default")) {
            reference(path + ".serversTransport", lb.serversTransport(), config.http().serversTransports(), "serversTransport", false);
        }
    }

    /** A unix-socket entry point is an HTTP listener of the standalone jar: no TCP/UDP routers, no redirection to it. */
    private void unixEntryPoint(String name, String path) {
        try {
            config.entryPoints().get(name).unixSocket().permissions();
        } catch (IllegalArgumentException e) {
            problems.add(path + ".unixSocket.mode", e.getMessage());
        }
        EntryPointRoles roles = EntryPointRoles.of(config);
        if (roles.relayed(name)) {
            problems.add(path + ".address", "a unix socket entry point serves HTTP routers only; TCP and UDP routers need an IP address");
        }
        config.entryPoints().forEach((other, ep) -> {
            EntryPointConfig.RedirectEntryPoint redirect = ep.http().redirections() == null ? null : ep.http().redirections().entryPoint();
            if (redirect != null && name.equals(redirect.to())) {
                problems.add("entryPoints." + other + ".http.redirections.entryPoint.to",
                        "entry point " + name + " listens on a unix socket: a browser cannot be redirected to it");
            }
        });
    }

    private void upstreamUrl(String path, String url) {
        if (url == null || url.isBlank()) {
            problems.add(path, "missing url, e.g. \"http://127.0.0.1:8080\"");
            return;
        }
        try {
            if (UnixUrl.parse(url) != null) {
                return;
            }
        } catch (IllegalArgumentException e) {
            problems.add(path, e.getMessage());
            return;
        }
        // Scheme and host are checked by hand first: java.net.URI reads "127.0.0.1:9000" as a broken
        // scheme and "http://" as a missing authority, and its messages say so in its own terms.
        int separator = url.indexOf("://");
        String scheme = separator < 0 ? null : url.substring(0, separator).toLowerCase(Locale.ROOT);
        if (scheme == null || !UPSTREAM_SCHEMES.contains(scheme)) {
            problems.add(path, "invalid URL \"" + url + "\": scheme must be http, https or h2c");
            return;
        }
        String rest = url.substring(separator + 3);
        if (rest.isEmpty() || "/?#".indexOf(rest.charAt(0)) >= 0) {
            problems.add(path, "invalid URL \"" + url + "\": missing host");
            return;
        }
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || !UPSTREAM_SCHEMES.contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
                problems.add(path, "invalid URL \"" + url + "\": scheme must be http, https or h2c");
            } else if (uri.getHost() == null) {
                problems.add(path, "invalid URL \"" + url + "\": missing host");
            } else if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                problems.add(path, "invalid URL \"" + url + "\": no query or fragment allowed");
            }
        } catch (URISyntaxException e) {
            problems.add(path, "invalid URL \"" + url + "\": " + e.getReason() + " at index " + e.getIndex());
        }
    }

    private void staticFiles(String path, StaticConfig site) {
        if (site.root() == null || site.root().isBlank()) {
            problems.add(path + ".root", "missing root directory");
            return;
        }
        Path root = Path.of(site.root());
        if (!Files.isDirectory(root)) {
            problems.add(path + ".root", "not a directory: \"" + site.root() + "\"");
        }
        if (site.notFound() != null) {
            if (site.notFound().file() == null) {
                problems.add(path + ".notFound.file", "missing file");
            } else if (!Files.isRegularFile(root.resolve(site.notFound().file()))) {
                problems.add(path + ".notFound.file", "no such file in root: \"" + site.notFound().file() + "\"");
            }
            int status = site.notFound().status();
            if (status < 200 || status > 599) {
                problems.add(path + ".notFound.status", "must be an HTTP status between 200 and 599, got " + status);
            }
        }
    }

    private void middlewares() {
        Map<String, MiddlewareConfig> middlewares = config.http().middlewares();
        middlewares.forEach((name, middleware) -> {
            String path = "http.middlewares." + name;
            if (middleware.type() == null) {
                problems.add(path, "no middleware type; add one table such as [" + path + ".stripPrefix] (types: conf/middlewares.toml)");
                return;
            }
            middleware.options().validate(path + "." + middleware.type(), problems, config.http());
            if (middleware.options() instanceof ChainConfig chain) {
                for (int i = 0; i < chain.middlewares().size(); i++) {
                    reference(path + ".chain.middlewares[" + i + "]", chain.middlewares().get(i), middlewares, "middleware", true);
                }
            }
        });
        for (String name : middlewares.keySet()) {
            List<String> cycle = chainCycle(name, middlewares, new ArrayList<>());
            if (cycle != null && cycle.get(0).equals(name)) {
                problems.add("http.middlewares." + name + ".chain", "chains refer to each other in a cycle: " + String.join(" -> ", cycle));
            }
        }
    }

    /** The chain cycle reachable from {@code name}, starting where it closes; null if there is none. */
    private static List<String> chainCycle(String name, Map<String, MiddlewareConfig> middlewares, List<String> trail) {
        int seen = trail.indexOf(name);
        if (seen >= 0) {
            List<String> cycle = new ArrayList<>(trail.subList(seen, trail.size()));
            cycle.add(name);
            return cycle;
        }
        MiddlewareConfig middleware = middlewares.get(name);
        if (middleware == null || !(middleware.options() instanceof ChainConfig chain)) {
            return null;
        }
        trail.add(name);
        for (String child : chain.middlewares()) {
            List<String> cycle = chainCycle(child, middlewares, trail);
            if (cycle != null) {
                return cycle;
            }
        }
        trail.remove(trail.size() - 1);
        return null;
    }

    private void serversTransports(TlsValidator tls) {
        config.http().serversTransports().forEach((name, transport) -> {
            String path = "http.serversTransports." + name;
            tls.upstream(path + ".", transport.upstreamTls());
            if (transport.maxIdleConnsPerHost() < 0) {
                problems.add(path + ".maxIdleConnsPerHost", "must be 0 or more, got " + transport.maxIdleConnsPerHost());
            }
        });
    }

    private void reference(String path, String name, Map<String, ?> known, String what, boolean required) {
        if (name == null || name.isBlank()) {
            if (required) {
                problems.add(path, "missing " + what + " name");
            }
            return;
        }
        if (!known.containsKey(name)) {
            problems.add(path, "unknown " + what + " \"" + name + "\"" + Suggestions.didYouMean(name, known.keySet()));
        }
    }

    static boolean positive(java.time.Duration d) {
        return !d.isNegative() && !d.isZero();
    }
}
