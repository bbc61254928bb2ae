package dev.sluice.proxy.config;

import dev.sluice.proxy.balance.Strategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code tcp} and {@code udp} halves of {@link ConfigValidator}: references, rules, addresses
 * and value ranges, each problem reported with its key path.
 */
final class L4Validator {
    private final SluiceConfig config;
    private final EntryPointRoles roles;
    private final Problems problems;
    private final TlsValidator tls;

    L4Validator(SluiceConfig config, Problems problems, TlsValidator tls) {
        this.config = config;
        this.roles = EntryPointRoles.of(config);
        this.problems = problems;
        this.tls = tls;
    }

    void validate() {
        httpRouterEntryPoints();
        tcpRouters();
        services("tcp.services", config.tcp().services(), false);
        tcpMiddlewares();
        tcpTransports();
        udpRouters();
        services("udp.services", config.udp().services(), true);
    }

    /** An HTTP router on an entry point the relay serves would silently never see a request. */
    private void httpRouterEntryPoints() {
        config.http().routers().forEach((name, router) -> {
            for (int i = 0; i < router.entryPoints().size(); i++) {
                String ep = router.entryPoints().get(i);
                EntryPointRoles.Role role = roles.role(ep);
                if (role == EntryPointRoles.Role.UDP) {
                    problems.add("http.routers." + name + ".entryPoints[" + i + "]", "entry point \"" + ep + "\" is a UDP entry point");
                }
            }
        });
    }

    private void tcpRouters() {
        TcpConfig tcp = config.tcp();
        tcp.routers().forEach((name, router) -> {
            String path = "tcp.routers." + name;
            boolean tls = router.tls() != null;
            // A rule that does not compile was reported when it was bound, and binds as null too.
            if (router.rule() == null) {
                if (!problems.concerns(path + ".rule")) {
                    problems.add(path + ".rule", "missing rule, e.g. rule = \"HostSNI(`*`)\"");
                }
            } else if (router.rule().needsTls() && !tls) {
                problems.add(path + ".rule", "\"" + router.rule().text() + "\" reads the TLS ClientHello (HostSNI with a name,"
                        + " HostSNIRegexp, ALPN); add [" + path + ".tls] to terminate TLS (with passthrough = true to relay it encrypted),"
                        + " or use HostSNI(`*`) for plain TCP");
            }
            reference(path + ".service", router.service(), tcp.services(), "TCP service", true);
            for (int i = 0; i < router.entryPoints().size(); i++) {
                String ep = router.entryPoints().get(i);
                String at = path + ".entryPoints[" + i + "]";
                if (reference(at, ep, config.entryPoints(), "entry point", true)) {
                    EntryPointRoles.Role role = roles.role(ep);
                    if (role == EntryPointRoles.Role.UDP) {
                        problems.add(at, "entry point \"" + ep + "\" is a UDP entry point");
                    }
                }
            }
            for (int i = 0; i < router.middlewares().size(); i++) {
                reference(path + ".middlewares[" + i + "]", router.middlewares().get(i), tcp.middlewares(), "TCP middleware", true);
            }
        });
    }

    private void services(String section, Map<String, TcpServiceConfig> services, boolean udp) {
        services.forEach((name, service) -> {
            String path = section + "." + name;
            Map<String, Object> kinds = service.kinds();
            if (kinds.size() != 1) {
                problems.add(path, kinds.isEmpty() ? "no service kind; set one of loadBalancer, weighted"
                        : "exactly one service kind allowed, found " + String.join(" and ", kinds.keySet()));
                return;
            }
            if (service.loadBalancer() != null) {
                loadBalancer(path + ".loadBalancer", service.loadBalancer(), udp);
            } else {
                List<ChildService> children = service.weighted().services();
                if (children.isEmpty()) {
                    problems.add(path + ".weighted.services", "no services; add e.g. [[" + path + ".weighted.services]] name = \"a\"");
                }
                for (int i = 0; i < children.size(); i++) {
                    ChildService child = children.get(i);
                    reference(path + ".weighted.services[" + i + "].name", child.name(), services, (udp ? "UDP" : "TCP") + " service", true);
                    if (child.weight() < 0) {
                        problems.add(path + ".weighted.services[" + i + "].weight", "must be 0 or more, got " + child.weight());
                    }
                }
                if (udp) {
                    notForUdp(path + ".weighted.healthCheck", service.weighted().healthCheck());
                } else if (service.weighted().healthCheck() != null) {
                    for (int i = 0; i < children.size(); i++) {
                        TcpServiceConfig child = services.get(children.get(i).name());
                        if (child != null && !reportsHealth(child)) {
                            problems.add(path + ".weighted.services[" + i + "].name", "service \"" + children.get(i).name()
                                    + "\" has no health check, so healthCheck {} here cannot follow it; add a healthCheck to it"
                                    + " (a loadBalancer's healthCheck, or healthCheck {} on a weighted service)");
                        }
                    }
                }
                List<String> cycle = cycle(name, services, new ArrayList<>());
                if (cycle != null && cycle.get(0).equals(name)) {
                    problems.add(path + ".weighted", "services refer to each other in a cycle: " + String.join(" -> ", cycle));
                }
            }
        });
    }

    /** True if a TCP service knows its health: a checked load balancer, or a weighted one following its children. */
    private static boolean reportsHealth(TcpServiceConfig service) {
        return service.loadBalancer() != null ? service.loadBalancer().healthCheck() != null : service.weighted().healthCheck() != null;
    }

    private static List<String> cycle(String name, Map<String, TcpServiceConfig> services, List<String> trail) {
        int seen = trail.indexOf(name);
        if (seen >= 0) {
            List<String> cycle = new ArrayList<>(trail.subList(seen, trail.size()));
            cycle.add(name);
            return cycle;
        }
        TcpServiceConfig service = services.get(name);
        if (service == null || service.weighted() == null) {
            return null;
        }
        trail.add(name);
        for (ChildService child : service.weighted().services()) {
            List<String> found = cycle(child.name(), services, trail);
            if (found != null) {
                return found;
            }
        }
        trail.remove(trail.size() - 1);
        return null;
    }

    private void loadBalancer(String path, TcpLoadBalancerConfig lb, boolean udp) {
        for (int i = 0; i < lb.servers().size(); i++) {
            TcpLoadBalancerConfig.Server server = lb.servers().get(i);
            String serverPath = path + ".servers[" + i + "]";
            if (EntryPointAddress.isUnix(server.address())) {
                unixServer(serverPath, server, udp);
            } else {
                address(serverPath + ".address", server.address());
            }
            if (server.weight() < 0) {
                problems.add(serverPath + ".weight", "must be 0 or more, got " + server.weight());
            }
            if (server.tls() && udp) {
                problems.add(serverPath + ".tls", "not an option of UDP servers (TCP only)");
            }
        }
        if (!lb.strategy().forConnections()) {
            problems.add(path + ".strategy", "strategy \"" + lb.strategy().configName() + "\" times HTTP responses, it cannot pick for a connection;"
                    + " known for " + (udp ? "UDP" : "TCP") + ": " + String.join(", ", Strategy.connectionNames()));
        }
        if (udp) {
            notForUdp(path + ".serversTransport", lb.serversTransport());
            notForUdp(path + ".proxyProtocol", lb.proxyProtocol());
            notForUdp(path + ".terminationDelay", lb.terminationDelay());
            notForUdp(path + ".healthCheck", lb.healthCheck());
            return;
        }
        if (lb.proxyProtocol() != null) {
            proxyProtocolVersion(path + ".proxyProtocol.version", lb.proxyProtocol());
        }
        if (lb.serversTransport() != null && !lb.serversTransport().equals("default")) {
            reference(path + ".serversTransport", lb.serversTransport(), config.tcp().serversTransports(), "TCP serversTransport", false);
        }
        TcpLoadBalancerConfig.TcpHealthCheckConfig check = lb.healthCheck();
        if (check != null) {
            if (check.port() != null && (check.port() < 1 || check.port() > 65535)) {
                problems.add(path + ".healthCheck.port", "must be between 1 and 65535, got " + check.port());
            }
            if (!positive(check.timeout())) {
                problems.add(path + ".healthCheck.timeout", "must be positive");
            }
            if (!positive(check.interval())) {
                problems.add(path + ".healthCheck.interval", "must be positive");
            }
            if (!positive(check.unhealthyInterval())) {
                problems.add(path + ".healthCheck.unhealthyInterval", "must be positive");
            }
        }
    }

    private void notForUdp(String path, Object value) {
        if (value != null) {
            problems.add(path, "not an option of UDP services (TCP only)");
        }
    }

    private void proxyProtocolVersion(String path, TcpLoadBalancerConfig.ProxyProtocol proxyProtocol) {
        int version = proxyProtocol.version();
        if (version != 1 && version != 2) {
            problems.add(path, "must be 1 or 2, got " + version);
        }
    }

    /** A TCP server on a unix-domain socket ({@code address = "unix:/run/app.sock"}): plain TCP only. */
    private void unixServer(String path, TcpLoadBalancerConfig.Server server, boolean udp) {
        try {
            EntryPointAddress.parse(server.address());
        } catch (IllegalArgumentException e) {
            problems.add(path + ".address", e.getMessage().replace("e.g. unix:/run/sluice.sock", "e.g. unix:/run/app.sock"));
            return;
        }
        if (udp) {
            problems.add(path + ".address", "a UDP server cannot be a unix socket");
        } else if (server.tls()) {
            problems.add(path + ".tls", "TLS to a unix socket server is not supported");
        }
    }

    private void address(String path, String address) {
        if (address == null || address.isBlank()) {
            problems.add(path, "missing address, e.g. \"10.0.0.1:5432\"");
            return;
        }
        try {
            EntryPointAddress parsed = EntryPointAddress.parse(address);
            if (parsed.host() == null || address.contains("/")) {
                problems.add(path, "invalid address \"" + address + "\": expected host:port, e.g. \"10.0.0.1:5432\"");
            } else if (parsed.port() == 0) {
                problems.add(path, "invalid address \"" + address + "\": port must be between 1 and 65535");
            }
        } catch (IllegalArgumentException e) {
            problems.add(path, e.getMessage().replace("e.g. [::1]:8080", "e.g. [::1]:5432"));
        }
    }

    private void tcpMiddlewares() {
        config.tcp().middlewares().forEach((name, middleware) -> {
            String path = "tcp.middlewares." + name;
            Map<String, Object> kinds = middleware.kinds();
            if (kinds.size() != 1) {
                problems.add(path, kinds.isEmpty() ? "no middleware type; set one of inFlightConn, ipAllowList"
                        : "exactly one middleware type allowed, found " + String.join(" and ", kinds.keySet()));
                return;
            }
            if (middleware.inFlightConn() != null) {
                Integer amount = middleware.inFlightConn().amount();
                if (amount == null || amount < 1) {
                    problems.add(path + ".inFlightConn.amount", amount == null ? "missing amount, e.g. amount = 10"
                            : "must be 1 or more, got " + amount);
                }
            } else {
                String type = middleware.ipAllowList() != null ? "ipAllowList" : "ipWhiteList";
                List<String> ranges = middleware.allowList().sourceRange();
                if (ranges.isEmpty()) {
                    problems.add(path + "." + type + ".sourceRange", "no ranges; add e.g. sourceRange = [\"10.0.0.0/8\"]");
                }
                for (int i = 0; i < ranges.size(); i++) {
                    if (!IpRanges.isValid(ranges.get(i))) {
                        problems.add(path + "." + type + ".sourceRange[" + i + "]", "invalid IP or CIDR \"" + ranges.get(i) + "\"");
                    }
                }
            }
        });
    }

    private void tcpTransports() {
        config.tcp().serversTransports().forEach((name, transport) -> {
            String path = "tcp.serversTransports." + name;
            if (!positive(transport.dialTimeout())) {
                problems.add(path + ".dialTimeout", "must be positive, got " + Durations.format(transport.dialTimeout()));
            }
            if (transport.proxyProtocol() != null) {
                proxyProtocolVersion(path + ".proxyProtocol.version", transport.proxyProtocol());
            }
            tls.upstream(path + ".tls.", transport.tls());
        });
    }

    private void udpRouters() {
        config.udp().routers().forEach((name, router) -> {
            String path = "udp.routers." + name;
            reference(path + ".service", router.service(), config.udp().services(), "UDP service", true);
            for (int i = 0; i < router.entryPoints().size(); i++) {
                String ep = router.entryPoints().get(i);
                String at = path + ".entryPoints[" + i + "]";
                if (reference(at, ep, config.entryPoints(), "entry point", true) && roles.role(ep) != EntryPointRoles.Role.UDP) {
                    problems.add(at, "entry point \"" + ep + "\" is not a UDP entry point (its address must end in /udp)");
                }
            }
        });
    }

    /** Reports a missing or unknown name; true if the name is known. */
    private boolean reference(String path, String name, Map<String, ?> known, String what, boolean required) {
        if (name == null || name.isBlank()) {
            if (required) {
                problems.add(path, "missing " + what + " name");
            }
            return false;
        }
        if (!known.containsKey(name)) {
            problems.add(path, "unknown " + what + " \"" + name + "\"" + Suggestions.didYouMean(name, known.keySet()));
            return false;
        }
        return true;
    }

    static boolean positive(java.time.Duration d) {
        return !d.isNegative() && !d.isZero();
    }
}
