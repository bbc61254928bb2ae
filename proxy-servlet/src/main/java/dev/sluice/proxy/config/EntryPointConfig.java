package dev.sluice.proxy.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.proxy.config.middleware.EncodedCharactersConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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
 * @param allowACMEByPass not supported yet (ACME comes with {@code certificatesResolvers}); null when absent
 * @param reusePort not supported yet; null when absent
 * @param http2 {@code [entryPoints.NAME.http2]}: not supported yet; null when absent
 * @param http3 {@code [entryPoints.NAME.http3]}: HTTP/3 beside the TLS of this entry point (standalone); null when absent
 * @param observability {@code [entryPoints.NAME.observability]}: not supported yet; null when absent
 * @param unixSocket {@code [entryPoints.NAME.unixSocket]} (extension): the socket file of a {@code unix:} address
 */
public record EntryPointConfig(String address, Boolean asDefault, ForwardedHeadersConfig forwardedHeaders, HttpOptions http,
        ProxyProtocolConfig proxyProtocol, UdpOptions udp, TransportOptions transport, Boolean allowACMEByPass, Boolean reusePort,
        Http2Options http2, Http3Options http3, ObservabilityOptions observability, UnixSocketOptions unixSocket) {
    @com.fasterxml.jackson.annotation.JsonCreator
    public EntryPointConfig {
        asDefault = asDefault != null && asDefault;
        forwardedHeaders = forwardedHeaders == null ? ForwardedHeadersConfig.NONE : forwardedHeaders;
        http = http == null ? HttpOptions.NONE : http;
        proxyProtocol = proxyProtocol == null ? ProxyProtocolConfig.NONE : proxyProtocol;
        udp = udp == null ? UdpOptions.DEFAULT : udp;
        transport = transport == null ? TransportOptions.DEFAULT : transport;
        unixSocket = unixSocket == null ? UnixSocketOptions.DEFAULT : unixSocket;
    }

    public EntryPointConfig(String address, Boolean asDefault, ForwardedHeadersConfig forwardedHeaders, HttpOptions http) {
        this(address, asDefault, forwardedHeaders, http, null, null, null);
    }

    /** Without the options Sluice only warns about. */
    public EntryPointConfig(String address, Boolean asDefault, ForwardedHeadersConfig forwardedHeaders, HttpOptions http,
            ProxyProtocolConfig proxyProtocol, UdpOptions udp, TransportOptions transport) {
        this(address, asDefault, forwardedHeaders, http, proxyProtocol, udp, transport, null, null, null, null, null, null);
    }

    /** A copy with another address. */
    public EntryPointConfig withAddress(String newAddress) {
        return new EntryPointConfig(newAddress, asDefault, forwardedHeaders, http, proxyProtocol, udp, transport, allowACMEByPass,
                reusePort, http2, http3, observability, unixSocket);
    }

    /** A copy with other {@code http.middlewares}, the rest kept. */
    EntryPointConfig withMiddlewares(List<String> newMiddlewares) {
        return withHttp(http.withMiddlewares(newMiddlewares));
    }

    /** A copy with another {@code http.tls}, the rest kept. */
    EntryPointConfig withHttpTls(RouterTlsConfig newTls) {
        return withHttp(http.withTls(newTls));
    }

    private EntryPointConfig withHttp(HttpOptions newHttp) {
        return new EntryPointConfig(address, asDefault, forwardedHeaders, newHttp, proxyProtocol, udp, transport, allowACMEByPass,
                reusePort, http2, http3, observability, unixSocket);
    }

    /**
     * {@code [entryPoints.NAME.transport]}.
     *
     * @param keepAliveMaxTime not supported yet; null when absent
     * @param keepAliveMaxRequests not supported yet; null when absent
     */
    public record TransportOptions(RespondingTimeouts respondingTimeouts, LifeCycle lifeCycle, Duration keepAliveMaxTime,
            Integer keepAliveMaxRequests) {
        static final TransportOptions DEFAULT = new TransportOptions(null, null);

        public TransportOptions(RespondingTimeouts respondingTimeouts, LifeCycle lifeCycle) {
            this(respondingTimeouts, lifeCycle, null, null);
        }

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

    /**
     * {@code [entryPoints.NAME.http]}: {@code middlewares} prepended to every router of this entry
     * point, {@code redirections} and {@code tls}. The other keys are Traefik's, not supported yet
     * (each null when absent).
     *
     * @param redirections {@code [entryPoints.NAME.http.redirections.entryPoint]}: redirect every plain
     *     request to another entry point; null when absent
     * @param tls {@code [entryPoints.NAME.http.tls]}: every router of this entry point is a TLS router,
     *     with these settings unless it has a {@code tls} of its own; null when absent
     * @param encodedCharacters which encoded characters a request path may hold
     * @param encodeQuerySemicolons encode {@code ;} in queries instead of splitting on it
     * @param sanitizePath remove {@code /./}, {@code /../} and repeated slashes
     * @param maxHeaderBytes largest request head
     * @param underscoreHeadersStrategy {@code keep}, {@code delete} or {@code reject} headers with underscores
     */
    public record HttpOptions(List<String> middlewares, Redirections redirections, RouterTlsConfig tls,
            EncodedCharactersConfig encodedCharacters, Boolean encodeQuerySemicolons, Boolean sanitizePath, Integer maxHeaderBytes,
            String underscoreHeadersStrategy) {
        static final HttpOptions NONE = new HttpOptions(null);

        public HttpOptions {
            middlewares = Frozen.list(middlewares);
        }

        public HttpOptions(List<String> middlewares) {
            this(middlewares, null, null, null, null, null, null, null);
        }

        HttpOptions withMiddlewares(List<String> newMiddlewares) {
            return new HttpOptions(newMiddlewares, redirections, tls, encodedCharacters, encodeQuerySemicolons, sanitizePath,
                    maxHeaderBytes, underscoreHeadersStrategy);
        }

        HttpOptions withTls(RouterTlsConfig newTls) {
            return new HttpOptions(middlewares, redirections, newTls, encodedCharacters, encodeQuerySemicolons, sanitizePath,
                    maxHeaderBytes, underscoreHeadersStrategy);
        }
    }

    /** {@code [entryPoints.NAME.http.redirections]}. */
    public record Redirections(RedirectEntryPoint entryPoint) {}

    /**
     * {@code [entryPoints.NAME.http.redirections.entryPoint]}: plain requests on this entry point are
     * redirected to the same URL on {@code to}'s port (ACME HTTP-01 challenges excepted), as
     * Traefik's {@code redirectScheme}: 301 for GET and 308 otherwise when permanent, else 302 and 307.
     *
     * @param to the target entry point's name, or a port as {@code ":443"}
     * @param scheme the target scheme; default {@code https}
     * @param permanent default true
     * @param priority of the redirecting router; default {@code Integer.MAX_VALUE - 1}, above every other router
     */
    public record RedirectEntryPoint(String to, String scheme, Boolean permanent, Integer priority) {
        public static final int DEFAULT_PRIORITY = Integer.MAX_VALUE - 1;

        public RedirectEntryPoint {
            scheme = scheme == null || scheme.isBlank() ? "https" : scheme;
            permanent = permanent == null || permanent;
            priority = priority == null || priority == 0 ? DEFAULT_PRIORITY : priority;
        }
    }

    /** {@code [entryPoints.NAME.http2]}. */
    public record Http2Options(Integer maxConcurrentStreams, Integer maxDecoderHeaderTableSize, Integer maxEncoderHeaderTableSize) {}

    /**
     * {@code [entryPoints.NAME.http3]}: present (even empty) enables HTTP/3 on the entry point's port over
     * UDP, as in Traefik, when it has TLS routers.
     *
     * @param advertisedPort the port announced in {@code Alt-Svc} (a UDP port forwarded to this one); default the entry point's
     */
    public record Http3Options(Integer advertisedPort) {}

    /**
     * {@code [entryPoints.NAME.unixSocket]} (extension): the socket file of an {@code address = "unix:/path"}
     * entry point. A file left at that path by a Sluice that died is removed when the entry point starts
     * (only a socket: any other file is an error), and the socket file is removed when it stops.
     *
     * @param mode the file's permissions in octal, e.g. {@code "0660"} (who may connect); default: the
     *     process's umask decides
     */
    public record UnixSocketOptions(String mode) {
        static final UnixSocketOptions DEFAULT = new UnixSocketOptions(null);

        /** The permissions of {@link #mode} as {@code rwxrwxrwx}, or null when unset; throws when it is no octal mode. */
        public java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions() {
            if (mode == null) {
                return null;
            }
            if (!mode.matches("0?[0-7]{3}")) {
                throw new IllegalArgumentException("invalid mode \"" + mode + "\": expected three octal digits, e.g. \"0660\"");
            }
            String digits = mode.substring(mode.length() - 3);
            StringBuilder rwx = new StringBuilder(9);
            for (char c : digits.toCharArray()) {
                int bits = c - '0';
                rwx.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-').append((bits & 1) != 0 ? 'x' : '-');
            }
            return java.nio.file.attribute.PosixFilePermissions.fromString(rwx.toString());
        }
    }

    /** {@code [entryPoints.NAME.observability]}. */
    public record ObservabilityOptions(Boolean accessLogs, Boolean metrics, Boolean tracing, JsonNode traceVerbosity) {}

    /**
     * {@code [entryPoints.NAME.forwardedHeaders]}: {@code trustedIPs} (IPs or CIDRs) and {@code insecure}.
     * Traefik's other keys are not supported yet (each null when absent).
     *
     * @param connection {@code Connection} headers kept through the middlewares
     * @param notAppendXForwardedFor do not append the client to {@code X-Forwarded-For}
     * @param addXForwardedSchemeHeaders add {@code X-Forwarded-Scheme} and {@code X-Scheme}
     */
    public record ForwardedHeadersConfig(List<String> trustedIPs, Boolean insecure, List<String> connection,
            Boolean notAppendXForwardedFor, Boolean addXForwardedSchemeHeaders) {
        static final ForwardedHeadersConfig NONE = new ForwardedHeadersConfig(null, null);

        public ForwardedHeadersConfig {
            trustedIPs = Frozen.list(trustedIPs);
            insecure = insecure != null && insecure;
            connection = connection == null ? null : Frozen.list(connection);
        }

        public ForwardedHeadersConfig(List<String> trustedIPs, Boolean insecure) {
            this(trustedIPs, insecure, null, null, null);
        }
    }
}
