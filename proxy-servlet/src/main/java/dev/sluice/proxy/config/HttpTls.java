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
    private final List<String> warnings;

    private HttpTls(Map<String, Map<String, String>> optionsByHost, List<String> warnings) {
        this.optionsByHost = optionsByHost;
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
                if (tls.certResolver() != null && resolverWarned.add(tls.certResolver())) {
                    warnings.add(resolverWarning(config, routerName, tls.certResolver()));
                }
            }
        });
        Map<String, Map<String, String>> frozen = new LinkedHashMap<>();
        byEntryPoint.forEach((name, hosts) -> frozen.put(name, Map.copyOf(hosts)));
        return new HttpTls(Map.copyOf(frozen), List.copyOf(warnings));
    }

    /** One per resolver, at the first router naming it (a resolver set by {@code http.tls} is reported at that router too). */
    private static String resolverWarning(SluiceConfig config, String router, String resolver) {
        Set<String> known = config.certificatesResolvers().keySet();
        String path = "`http.routers." + router + ".tls.certResolver`: ";
        if (!known.contains(resolver)) {
            return path + "unknown certificate resolver \"" + resolver + "\"" + Suggestions.didYouMean(resolver, known)
                    + "; the certificates of [tls] serve";
        }
        return path + "ACME certificates are not served on entry points yet (resolver \"" + resolver + "\"); the certificates of [tls] serve";
    }

    /** True if entry point {@code name} has a TLS router, or {@code http.tls}: it must accept TLS connections. */
    public boolean servesTls(String entryPoint) {
        return optionsByHost.containsKey(entryPoint);
    }

    /** The TLS options of each host name of the TLS routers of {@code entryPoint}. */
    public Map<String, String> optionsByHost(String entryPoint) {
        return optionsByHost.getOrDefault(entryPoint, Map.of());
    }

    /** One line per conflict of options and per certResolver that does not serve yet. */
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
