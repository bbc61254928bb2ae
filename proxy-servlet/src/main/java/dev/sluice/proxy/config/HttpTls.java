package dev.sluice.proxy.config;

import dev.sluice.proxy.rule.RuleParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which HTTP routers are TLS routers on which entry point, and the TLS options a handshake gets, as
 * Traefik decides them. A router is a TLS router on an entry point when it has a {@code tls} table,
 * or when the entry point has {@code http.tls}. A handshake gets the options of the TLS routers
 * whose {@code Host} names its SNI; when routers of one host name different options, it gets
 * {@code default} (and a warning says so); a name no router's {@code Host} gives gets {@code default}.
 *
 * <pre>
 * HttpTls tls = HttpTls.of(config);
 * if (tls.servesTls("websecure")) {
 *     String options = tls.optionsByHost("websecure").getOrDefault(sni, "default");
 * }
 * </pre>
 */
public final class HttpTls {
    private final Map<String, Map<String, String>> optionsByHost;
    private final Map<String, Map<String, String>> resolverByHost;
    private final Map<String, List<List<String>>> acmeDomains;
    private final List<String> warnings;

    private HttpTls(Map<String, Map<String, String>> optionsByHost, Map<String, Map<String, String>> resolverByHost,
            Map<String, List<List<String>>> acmeDomains, List<String> warnings) {
        this.optionsByHost = optionsByHost;
        this.resolverByHost = resolverByHost;
        this.acmeDomains = acmeDomains;
        this.warnings = warnings;
    }

    /** The router's TLS settings on {@code entryPoint}, or null when it serves plain HTTP there. */
    public static RouterTlsConfig of(RouterConfig router, EntryPointConfig entryPoint) {
        if (router.tls() != null) {
            return router.tls();
        }
        return entryPoint == null ? null : entryPoint.http().tls();
    }

    public static HttpTls of(SluiceConfig config) {
        EntryPointRoles roles = EntryPointRoles.of(config);
        Map<String, Map<String, String>> byEntryPoint = new LinkedHashMap<>();
        Set<String> warnings = new LinkedHashSet<>();
        config.entryPoints().forEach((name, ep) -> {
            if (roles.role(name) == EntryPointRoles.Role.HTTP && ep.http().tls() != null) {
                byEntryPoint.put(name, new TreeMap<>());
            }
        });
        Set<String> resolverWarned = new LinkedHashSet<>();
        Map<String, Map<String, String>> resolvers = new LinkedHashMap<>();
        Map<String, Set<List<String>>> domains = new LinkedHashMap<>();
        config.http().routers().forEach((routerName, router) -> {
            for (String epName : roles.attach(EntryPointRoles.Role.HTTP, router.entryPoints())) {
                EntryPointConfig ep = config.entryPoints().get(epName);
                RouterTlsConfig tls = of(router, ep);
                if (ep == null || tls == null || roles.role(epName) != EntryPointRoles.Role.HTTP) {
                    continue;
                }
                Map<String, String> hosts = byEntryPoint.computeIfAbsent(epName, k -> new TreeMap<>());
                // Unknown options are a router's error, or an entry point's warning: then the default ones serve.
                String options = config.tls().optionsNamed(tls.optionsName()) == null ? TlsConfig.DEFAULT : tls.optionsName();
                List<String> ruleHosts = router.rule() == null ? List.of() : RuleParser.hosts(router.rule().text());
                for (String host : ruleHosts) {
                    String before = hosts.putIfAbsent(host, options);
                    if (before != null && !before.equals(options)) {
                        hosts.put(host, TlsConfig.DEFAULT);
                        warnings.add("`entryPoints." + epName + "`: TLS routers of host " + host + " name different TLS options ("
                                + before + ", " + options + "); its handshakes get the default options");
                    }
                }
                String resolver = tls.certResolver();
                if (resolver == null) {
                    continue;
                }
                String warning = resolverWarning(config, routerName, resolver);
                if (warning != null) {
                    if (resolverWarned.add(resolver)) {
                        warnings.add(warning);
                    }
                    continue;
                }
                // The first router of a host decides its resolver, as its options above.
                ruleHosts.forEach(host -> resolvers.computeIfAbsent(epName, k -> new TreeMap<>()).putIfAbsent(host, resolver));
                Set<List<String>> wanted = domains.computeIfAbsent(resolver, k -> new LinkedHashSet<>());
                if (!tls.domains().isEmpty()) {
                    for (RouterTlsConfig.Domain d : tls.domains()) {
                        List<String> names = new ArrayList<>();
                        names.add(d.main());
                        names.addAll(d.sans());
                        wanted.add(List.copyOf(names));
                        names.forEach(n -> resolvers.computeIfAbsent(epName, k -> new TreeMap<>()).putIfAbsent(n, resolver));
                    }
                } else if (!ruleHosts.isEmpty()) {
                    wanted.add(List.copyOf(ruleHosts)); // one certificate for the router's hosts, the first one main
                }
            }
        });
        Map<String, Map<String, String>> frozen = new LinkedHashMap<>();
        byEntryPoint.forEach((name, hosts) -> frozen.put(name, Map.copyOf(hosts)));
        Map<String, Map<String, String>> frozenResolvers = new LinkedHashMap<>();
        resolvers.forEach((name, hosts) -> frozenResolvers.put(name, Map.copyOf(hosts)));
        Map<String, List<List<String>>> frozenDomains = new LinkedHashMap<>();
        domains.forEach((name, lists) -> frozenDomains.put(name, List.copyOf(lists)));
        return new HttpTls(Map.copyOf(frozen), Map.copyOf(frozenResolvers), Map.copyOf(frozenDomains), List.copyOf(warnings));
    }

    /**
     * Null when {@code resolver} is an ACME resolver, else the warning (one per resolver, at the first router
     * naming it; a resolver set by {@code http.tls} is reported at that router too).
     */
    private static String resolverWarning(SluiceConfig config, String router, String resolver) {
        Map<String, CertificatesResolverConfig> known = config.certificatesResolvers();
        String path = "`http.routers." + router + ".tls.certResolver`: ";
        if (!known.containsKey(resolver)) {
            return path + "unknown certificate resolver \"" + resolver + "\"" + Suggestions.didYouMean(resolver, known.keySet())
                    + "; the certificates of [tls] serve";
        }
        if (known.get(resolver).acme() == null) {
            return path + "resolver \"" + resolver + "\" has no acme section; the certificates of [tls] serve";
        }
        return null;
    }

    /**
     * The ACME resolver of each host name of {@code entryPoint}'s TLS routers that name one (their {@code Host}
     * names and their {@code tls.domains}); a host not here gets the {@code [tls]} certificates.
     */
    public Map<String, String> resolverByHost(String entryPoint) {
        return resolverByHost.getOrDefault(entryPoint, Map.of());
    }

    /**
     * The certificates each ACME resolver must hold, by resolver name: per router, each of its
     * {@code tls.domains} (main first, then the sans), or else its {@code Host} names in one certificate.
     */
    public Map<String, List<List<String>>> acmeDomains() {
        return acmeDomains;
    }

    /** True if entry point {@code name} has a TLS router, or {@code http.tls}: it must accept TLS connections. */
    public boolean servesTls(String entryPoint) {
        return optionsByHost.containsKey(entryPoint);
    }

    /** The TLS options of each host name of the TLS routers of {@code entryPoint}. */
    public Map<String, String> optionsByHost(String entryPoint) {
        return optionsByHost.getOrDefault(entryPoint, Map.of());
    }

    /** One line per conflict of options and per certResolver that is unknown or not an ACME resolver. */
    public List<String> warnings() {
        return warnings;
    }

    /** Every TLS options name in use on {@code entryPoint}, {@code default} included. */
    public List<String> optionsInUse(String entryPoint) {
        Set<String> names = new LinkedHashSet<>();
        names.add(TlsConfig.DEFAULT);
        names.addAll(optionsByHost(entryPoint).values());
        return new ArrayList<>(names);
    }
}
