package dev.sluice.proxy.config;

import dev.sluice.proxy.rule.RuleParser.TcpRule;
import java.util.List;
import java.util.Map;

/**
 * {@code [tcp.routers.NAME]}.
 *
 * @param rule {@code HostSNI}, {@code HostSNIRegexp}, {@code ClientIP}, {@code ALPN} with {@code && || !};
 *     a router without {@code tls} may only use {@code HostSNI(`*`)} and {@code ClientIP}; compiled when
 *     bound, null when missing or blank
 * @param service name of a {@code [tcp.services.NAME]}
 * @param entryPoints entry points this router listens on; empty means every TCP entry point
 * @param middlewares names of {@code [tcp.middlewares.NAME]}, applied in order
 * @param priority higher first; {@code null} or 0 means the length of the rule
 * @param tls terminate TLS with a certificate of {@code [tls]} and relay the plaintext; or, with
 *     {@code passthrough = true}, route TLS by the ClientHello's SNI and forward the encrypted bytes
 */
public record TcpRouterConfig(TcpRule rule, String service, List<String> entryPoints, List<String> middlewares,
        Integer priority, Tls tls) {
    public TcpRouterConfig {
        entryPoints = Frozen.list(entryPoints);
        middlewares = Frozen.list(middlewares);
    }

    /** The priority Traefik uses: the configured one, else the rule's length. */
    public int effectivePriority() {
        return priority == null || priority == 0 ? (rule == null ? 0 : rule.text().length()) : priority;
    }

    /**
     * {@code [tcp.routers.NAME.tls]}.
     *
     * @param passthrough forward the encrypted bytes instead of terminating TLS; default false
     * @param options name of a {@code [tls.options.NAME]}; default {@code default}
     * @param certResolver ACME: not supported (rejected by validation)
     * @param domains ACME domains: accepted, unused (certificates come from {@code [tls]})
     */
    public record Tls(Boolean passthrough, String options, String certResolver, List<Map<String, Object>> domains) {
        public Tls {
            passthrough = passthrough != null && passthrough;
            domains = Frozen.list(domains);
        }
    }
}
