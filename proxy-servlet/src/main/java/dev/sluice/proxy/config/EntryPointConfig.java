package dev.sluice.proxy.config;

/**
 * {@code [entryPoints.NAME]}: where Sluice listens.
 *
 * @param address {@code "host:port"}, {@code ":port"} for all interfaces, {@code "[::1]:port"}
 * @param asDefault routers without {@code entryPoints} attach to the entry points marked
 *     {@code asDefault}, or to all HTTP entry points if none is
 * @param forwardedHeaders which peers may set {@code X-Forwarded-*} (default: nobody)
 * @param http {@code [entryPoints.NAME.http]}: {@code middlewares} run before every router's own
 */
public record EntryPointConfig(String address, Boolean asDefault, ForwardedHeadersConfig forwardedHeaders, HttpOptions http) {
    public EntryPointConfig {
        asDefault = asDefault != null && asDefault;
        forwardedHeaders = forwardedHeaders == null ? ForwardedHeadersConfig.NONE : forwardedHeaders;
        http = http == null ? HttpOptions.NONE : http;
    }

    /** {@code [entryPoints.NAME.http]}: middlewares prepended to every router of this entry point. */
    public record HttpOptions(java.util.List<String> middlewares) {
        static final HttpOptions NONE = new HttpOptions(null);

        public HttpOptions {
            middlewares = Frozen.list(middlewares);
        }
    }

    /** {@code [entryPoints.NAME.forwardedHeaders]}: {@code trustedIPs} (IPs or CIDRs) and {@code insecure}. */
    public record ForwardedHeadersConfig(java.util.List<String> trustedIPs, Boolean insecure) {
        static final ForwardedHeadersConfig NONE = new ForwardedHeadersConfig(null, null);

        public ForwardedHeadersConfig {
            trustedIPs = Frozen.list(trustedIPs);
            insecure = insecure != null && insecure;
        }
    }
}
