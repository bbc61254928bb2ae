package dev.sluice.proxy.config;

/**
 * {@code [entryPoints.NAME]}: where Sluice listens.
 *
 * @param address {@code "host:port"}, {@code ":port"} for all interfaces, {@code "[::1]:port"}
 * @param asDefault routers without {@code entryPoints} attach to the entry points marked
 *     {@code asDefault}, or to all HTTP entry points if none is
 * @param forwardedHeaders which peers may set {@code X-Forwarded-*} (default: nobody)
 * @param http {@code [entryPoints.NAME.http]}: {@code middlewares} run before every router's own
 * @param proxyProtocol {@code [entryPoints.NAME.proxyProtocol]}: who may send a PROXY header
 * @param udp {@code [entryPoints.NAME.udp]}: UDP session lifetime
 * @param transport {@code [entryPoints.NAME.transport]}: connection timeouts
 */
public record EntryPointConfig(String address, Boolean asDefault, ForwardedHeadersConfig forwardedHeaders, HttpOptions http,
        ProxyProtocolConfig proxyProtocol, UdpOptions udp, TransportOptions transport) {
    @com.fasterxml.jackson.annotation.JsonCreator
    public EntryPointConfig {
        asDefault = asDefault != null && asDefault;
        forwardedHeaders = forwardedHeaders == null ? ForwardedHeadersConfig.NONE : forwardedHeaders;
        http = http == null ? HttpOptions.NONE : http;
        proxyProtocol = proxyProtocol == null ? ProxyProtocolConfig.NONE : proxyProtocol;
        udp = udp == null ? UdpOptions.DEFAULT : udp;
        transport = transport == null ? TransportOptions.DEFAULT : transport;
    }

    public EntryPointConfig(String address, Boolean asDefault, ForwardedHeadersConfig forwardedHeaders, HttpOptions http) {
        this(address, asDefault, forwardedHeaders, http, null, null, null);
    }

    /** A copy with another address. */
    public EntryPointConfig withAddress(String newAddress) {
        return new EntryPointConfig(newAddress, asDefault, forwardedHeaders, http, proxyProtocol, udp, transport);
    }

    /** {@code [entryPoints.NAME.transport]}. */
    public record TransportOptions(RespondingTimeouts respondingTimeouts, LifeCycle lifeCycle) {
        static final TransportOptions DEFAULT = new TransportOptions(null, null);

        public TransportOptions {
            respondingTimeouts = respondingTimeouts == null ? RespondingTimeouts.DEFAULT : respondingTimeouts;
            lifeCycle = lifeCycle == null ? LifeCycle.DEFAULT : lifeCycle;
        }
    }

    /**
     * {@code [entryPoints.NAME.transport.respondingTimeouts]}, Traefik's defaults:
     *
     * @param readTimeout the whole request, a slow upload included, must arrive within it (60s; 0 = no limit)
     * @param writeTimeout the response must be written within it (0 = no limit)
     * @param idleTimeout a client connection with no byte either way for that long is closed: an idle
     *     HTTP keep-alive connection, or a relayed TCP connection (180s; 0 = never)
     */
    public record RespondingTimeouts(java.time.Duration readTimeout, java.time.Duration writeTimeout, java.time.Duration idleTimeout) {
        static final RespondingTimeouts DEFAULT = new RespondingTimeouts(null, null, null);

        public RespondingTimeouts {
            readTimeout = readTimeout == null ? java.time.Duration.ofSeconds(60) : readTimeout;
            writeTimeout = writeTimeout == null ? java.time.Duration.ZERO : writeTimeout;
            idleTimeout = idleTimeout == null ? java.time.Duration.ofSeconds(180) : idleTimeout;
        }
    }

    /**
     * {@code [entryPoints.NAME.transport.lifeCycle]}: how the entry point stops (on SIGTERM, or when a
     * reload removes it).
     *
     * @param requestAcceptGraceTimeout keep accepting new requests this long after the stop begins
     *     (default 0), for load balancers in front that have not noticed yet
     * @param graceTimeOut then give requests and connections in flight this long to finish (default 10s)
     */
    public record LifeCycle(java.time.Duration requestAcceptGraceTimeout, java.time.Duration graceTimeOut) {
        static final LifeCycle DEFAULT = new LifeCycle(null, null);

        public LifeCycle {
            requestAcceptGraceTimeout = requestAcceptGraceTimeout == null ? java.time.Duration.ZERO : requestAcceptGraceTimeout;
            graceTimeOut = graceTimeOut == null ? java.time.Duration.ofSeconds(10) : graceTimeOut;
        }
    }

    /**
     * {@code [entryPoints.NAME.proxyProtocol]}: accept a PROXY protocol v1 or v2 header (optional per
     * connection) from {@code trustedIPs}, or from anyone with {@code insecure}.
     */
    public record ProxyProtocolConfig(java.util.List<String> trustedIPs, Boolean insecure) {
        static final ProxyProtocolConfig NONE = new ProxyProtocolConfig(null, null);

        public ProxyProtocolConfig {
            trustedIPs = Frozen.list(trustedIPs);
            insecure = insecure != null && insecure;
        }

        /** True when some peer may send a PROXY header. */
        public boolean enabled() {
            return insecure || !trustedIPs.isEmpty();
        }
    }

    /** {@code [entryPoints.NAME.udp]}: {@code timeout}, how long an idle UDP session lives (default 3s). */
    public record UdpOptions(java.time.Duration timeout) {
        static final UdpOptions DEFAULT = new UdpOptions(null);

        public UdpOptions {
            timeout = timeout == null ? java.time.Duration.ofSeconds(3) : timeout;
        }
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
