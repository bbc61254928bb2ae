package dev.sluice.proxy.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The whole configuration: the static part ({@code entryPoints}, {@code providers}, {@code log}, and
 * the rest of Traefik's static keys, accepted with a warning) and the dynamic part ({@code http},
 * {@code tcp}, {@code udp}, {@code tls}), in Traefik's file-provider schema.
 *
 * <pre>
 * [entryPoints.web]
 * address = ":8080"
 *
 * [http.routers.api]
 * rule = "Host(`api.example.com`)"
 * service = "api"
 *
 * [[http.services.api.loadBalancer.servers]]
 * url = "http://127.0.0.1:9000"
 * </pre>
 *
 * @param log {@code [log]}: level and format of Sluice's own log
 * @param certificatesResolvers {@code [certificatesResolvers.NAME]}: ACME resolvers, by name
 * @param unsupported Traefik's static sections Sluice accepts without implementing them
 * @param warnings one line per key accepted but ignored, {@code "`metrics.prometheus`: not supported
 *     yet, ignored"}: filled by {@link ConfigLoader} (never bound from a file), to be logged at start
 * @param api {@code [api]}: the REST API ({@code api@internal}); null when absent
 * @param ping {@code [ping]}: the health endpoint ({@code ping@internal}); null when absent
 * @param accessLog {@code [accessLog]}; null: no access log
 * @param events {@code [events]} (extension): webhook notifications; null: none
 */
public record SluiceConfig(Map<String, EntryPointConfig> entryPoints, ProvidersConfig providers, HttpConfig http, TcpConfig tcp,
        UdpConfig udp, TlsConfig tls, LogConfig log, Map<String, CertificatesResolverConfig> certificatesResolvers,
        UnsupportedSections unsupported, List<String> warnings, ApiConfig api, PingEndpointConfig ping,
        AccessLogConfig accessLog, EventsConfig events) {
    public SluiceConfig {
        entryPoints = Frozen.map(entryPoints);
        providers = providers == null ? ProvidersConfig.NONE : providers;
        http = http == null ? HttpConfig.EMPTY : http;
        tcp = tcp == null ? TcpConfig.EMPTY : tcp;
        udp = udp == null ? UdpConfig.EMPTY : udp;
        tls = tls == null ? TlsConfig.EMPTY : tls;
        log = log == null ? LogConfig.NONE : log;
        certificatesResolvers = Frozen.map(certificatesResolvers);
        unsupported = unsupported == null ? UnsupportedSections.NONE : unsupported;
        warnings = Frozen.list(warnings);
    }

    /** Every top-level key of Traefik v3's static configuration, and the dynamic ones; nothing else. */
    @JsonCreator
    static SluiceConfig bind(@JsonProperty("global") UnsupportedSections.Global global,
            @JsonProperty("serversTransport") UnsupportedSections.ServersTransport serversTransport,
            @JsonProperty("tcpServersTransport") UnsupportedSections.TcpServersTransport tcpServersTransport,
            @JsonProperty("entryPoints") Map<String, EntryPointConfig> entryPoints,
            @JsonProperty("providers") ProvidersConfig providers,
            @JsonProperty("api") ApiConfig api,
            @JsonProperty("metrics") MetricsConfig metrics,
            @JsonProperty("ping") PingEndpointConfig ping,
            @JsonProperty("log") LogConfig log,
            @JsonProperty("accessLog") AccessLogConfig accessLog,
            @JsonProperty("tracing") TracingConfig tracing,
            @JsonProperty("hostResolver") UnsupportedSections.HostResolver hostResolver,
            @JsonProperty("certificatesResolvers") Map<String, CertificatesResolverConfig> certificatesResolvers,
            @JsonProperty("experimental") UnsupportedSections.Experimental experimental,
            @JsonProperty("core") UnsupportedSections.Core core,
            @JsonProperty("spiffe") UnsupportedSections.Spiffe spiffe,
            @JsonProperty("ocsp") UnsupportedSections.Ocsp ocsp,
            @JsonProperty("pilot") JsonNode pilot,
            @JsonProperty("hub") JsonNode hub,
            @JsonProperty("http") HttpConfig http,
            @JsonProperty("tcp") TcpConfig tcp,
            @JsonProperty("udp") UdpConfig udp,
            @JsonProperty("tls") TlsConfig tls,
            @JsonProperty("events") EventsConfig events) {
        return new SluiceConfig(entryPoints, providers, http, tcp, udp, tls, log, certificatesResolvers,
                new UnsupportedSections(global, serversTransport, tcpServersTransport, metrics, tracing,
                        hostResolver, experimental, core, spiffe, ocsp, pilot, hub), null, api, ping, accessLog, events);
    }

    /** {@code [metrics]}: Prometheus and OTLP metrics (its other exporters load with a warning); {@link MetricsConfig#NONE} when absent. */
    public MetricsConfig metrics() {
        return unsupported.metrics() == null ? MetricsConfig.NONE : unsupported.metrics();
    }

    /** {@code [tracing]}, or null when absent (no tracing). */
    public TracingConfig tracing() {
        return unsupported.tracing();
    }

    /** Without the static sections other than {@code entryPoints} and {@code providers}. */
    public SluiceConfig(Map<String, EntryPointConfig> entryPoints, ProvidersConfig providers, HttpConfig http, TcpConfig tcp,
            UdpConfig udp, TlsConfig tls) {
        this(entryPoints, providers, http, tcp, udp, tls, null, null, null, null, null, null, null, null);
    }

    /** Without {@code [events]}. */
    public SluiceConfig(Map<String, EntryPointConfig> entryPoints, ProvidersConfig providers, HttpConfig http, TcpConfig tcp,
            UdpConfig udp, TlsConfig tls, LogConfig log, Map<String, CertificatesResolverConfig> certificatesResolvers,
            UnsupportedSections unsupported, List<String> warnings, ApiConfig api, PingEndpointConfig ping,
            AccessLogConfig accessLog) {
        this(entryPoints, providers, http, tcp, udp, tls, log, certificatesResolvers, unsupported, warnings, api, ping, accessLog, null);
    }

    /** {@code [events]}, {@link EventsConfig#NONE} when absent. */
    public EventsConfig eventsOrNone() {
        return events == null ? EventsConfig.NONE : events;
    }

    /** A configuration without {@code [tls]}. */
    public SluiceConfig(Map<String, EntryPointConfig> entryPoints, HttpConfig http, TcpConfig tcp, UdpConfig udp) {
        this(entryPoints, null, http, tcp, udp, null);
    }

    /** A configuration without {@code [providers]}. */
    public SluiceConfig(Map<String, EntryPointConfig> entryPoints, HttpConfig http, TcpConfig tcp, UdpConfig udp, TlsConfig tls) {
        this(entryPoints, null, http, tcp, udp, tls);
    }

    /** An HTTP-only configuration. */
    public SluiceConfig(Map<String, EntryPointConfig> entryPoints, HttpConfig http) {
        this(entryPoints, null, http, null, null, null);
    }

    /** A copy with other entry points and HTTP part, the rest kept. */
    public SluiceConfig with(Map<String, EntryPointConfig> newEntryPoints, HttpConfig newHttp) {
        return new SluiceConfig(newEntryPoints, providers, newHttp, tcp, udp, tls, log, certificatesResolvers, unsupported, warnings, api, ping, accessLog, events);
    }

    /** A copy with other {@code providers}, the rest kept. */
    SluiceConfig withProviders(ProvidersConfig newProviders) {
        return new SluiceConfig(entryPoints, newProviders, http, tcp, udp, tls, log, certificatesResolvers, unsupported, warnings, api, ping, accessLog, events);
    }

    /** A copy with other {@code certificatesResolvers}, the rest kept. */
    SluiceConfig withCertificatesResolvers(Map<String, CertificatesResolverConfig> newResolvers) {
        return new SluiceConfig(entryPoints, providers, http, tcp, udp, tls, log, newResolvers, unsupported, warnings, api, ping, accessLog, events);
    }

    /** A copy with other {@code tcp} and {@code tls} parts, the rest kept. */
    SluiceConfig withTcpAndTls(TcpConfig newTcp, TlsConfig newTls) {
        return new SluiceConfig(entryPoints, providers, http, newTcp, udp, newTls, log, certificatesResolvers, unsupported, warnings, api, ping, accessLog, events);
    }

    /** A copy with other dynamic parts (and entry points), the static ones kept. */
    SluiceConfig withDynamic(Map<String, EntryPointConfig> newEntryPoints, HttpConfig newHttp, TcpConfig newTcp, UdpConfig newUdp,
            TlsConfig newTls) {
        return new SluiceConfig(newEntryPoints, providers, newHttp, newTcp, newUdp, newTls, log, certificatesResolvers, unsupported, warnings, api, ping, accessLog, events);
    }

    /** A copy with other {@code api} and {@code ping} sections, the rest kept. */
    SluiceConfig withAdmin(ApiConfig newApi, PingEndpointConfig newPing) {
        return new SluiceConfig(entryPoints, providers, http, tcp, udp, tls, log, certificatesResolvers, unsupported, warnings, newApi, newPing, accessLog, events);
    }

    /** A copy with another {@code accessLog}, the rest kept. */
    SluiceConfig withAccessLog(AccessLogConfig newAccessLog) {
        return new SluiceConfig(entryPoints, providers, http, tcp, udp, tls, log, certificatesResolvers, unsupported, warnings, api, ping,
                newAccessLog, events);
    }

    /** A copy with these warnings. */
    SluiceConfig withWarnings(List<String> newWarnings) {
        return new SluiceConfig(entryPoints, providers, http, tcp, udp, tls, log, certificatesResolvers, unsupported, newWarnings, api, ping, accessLog, events);
    }
}
