package dev.sluice.proxy.config;

import java.util.Map;

/**
 * The whole configuration: the static part ({@code entryPoints}) and the dynamic part
 * ({@code http}, {@code tcp}, {@code udp}, {@code tls}), in Traefik's file-provider schema.
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
 */
public record SluiceConfig(Map<String, EntryPointConfig> entryPoints, ProvidersConfig providers, HttpConfig http, TcpConfig tcp,
        UdpConfig udp, TlsConfig tls) {
    @com.fasterxml.jackson.annotation.JsonCreator
    public SluiceConfig {
        entryPoints = Frozen.map(entryPoints);
        providers = providers == null ? ProvidersConfig.NONE : providers;
        http = http == null ? HttpConfig.EMPTY : http;
        tcp = tcp == null ? TcpConfig.EMPTY : tcp;
        udp = udp == null ? UdpConfig.EMPTY : udp;
        tls = tls == null ? TlsConfig.EMPTY : tls;
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
        return new SluiceConfig(newEntryPoints, providers, newHttp, tcp, udp, tls);
    }

    /** A copy with other {@code providers}, the rest kept. */
    SluiceConfig withProviders(ProvidersConfig newProviders) {
        return new SluiceConfig(entryPoints, newProviders, http, tcp, udp, tls);
    }

    /** A copy with other {@code tcp} and {@code tls} parts, the rest kept. */
    SluiceConfig withTcpAndTls(TcpConfig newTcp, TlsConfig newTls) {
        return new SluiceConfig(entryPoints, providers, http, newTcp, udp, newTls);
    }
}
