package dev.sluice.proxy.config;

import java.util.List;

/**
 * {@code [http.routers.NAME.tls]} and {@code [entryPoints.NAME.http.tls]}: the router answers on TLS
 * only (a router without it answers on plain HTTP only, as in Traefik).
 *
 * <pre>
 * [http.routers.api.tls]
 * options = "modern"                # a [tls.options.NAME]; default "default"
 * certResolver = "le"               # a certificatesResolvers.NAME (ACME)
 * [[http.routers.api.tls.domains]]
 * main = "example.com"
 * sans = ["*.example.com"]
 * </pre>
 *
 * @param options name of a {@code [tls.options.NAME]}; null for {@code default}
 * @param certResolver name of a {@code certificatesResolvers.NAME}; until ACME is implemented the
 *     certificates of {@code [tls]} serve (with a warning)
 * @param domains the names to ask the resolver for; without them, the {@code Host} names of the rule
 */
public record RouterTlsConfig(String options, String certResolver, List<Domain> domains) {
    public RouterTlsConfig {
        options = options == null || options.isBlank() ? null : options;
        certResolver = certResolver == null || certResolver.isBlank() ? null : certResolver;
        domains = Frozen.list(domains);
    }

    /** The options name, {@code default} when none is set. */
    public String optionsName() {
        return options == null ? TlsConfig.DEFAULT : options;
    }

    /** {@code [[...tls.domains]]}: a main name and its subject alternative names. */
    public record Domain(String main, List<String> sans) {
        public Domain {
            sans = Frozen.list(sans);
        }
    }
}
