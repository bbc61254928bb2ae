package dev.sluice.proxy.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The top-level sections of Traefik's static configuration that Sluice accepts but does not
 * implement (yet, or ever), each null when absent. Each is typed at its first level, so a misspelt
 * key is still an error with a suggestion, and keeps what is below as written. {@link StaticWarnings}
 * names each one present in one warning; nothing else reads them. Keys are Traefik v3's
 * ({@code pkg/config/static/static_config.go}); a section moves out of here to {@link SluiceConfig}
 * when Sluice implements it. {@code metrics} is half-way: its Prometheus and OTLP exporters are implemented and
 * read through {@link SluiceConfig#metrics()}, its other exporters are still only warned about;
 * it stays here so that files are merged and checked for it as for the rest. {@code tracing} is implemented
 * ({@link SluiceConfig#tracing()}) and stays here for the same reason.
 */
public record UnsupportedSections(Global global, ServersTransport serversTransport, TcpServersTransport tcpServersTransport,
        MetricsConfig metrics, TracingConfig tracing, HostResolver hostResolver,
        Experimental experimental, Core core, Spiffe spiffe, Ocsp ocsp,
        JsonNode pilot, JsonNode hub) {
    public static final UnsupportedSections NONE = new UnsupportedSections(null, null, null, null, null, null,
            null, null, null, null, null, null);

    /**
     * These sections and {@code other}'s: a section present in both is reported to {@code conflict}
     * by its key and this one's kept.
     */
    UnsupportedSections merge(UnsupportedSections other, Consumer<String> conflict) {
        // In Traefik's order of keys, so that conflicts are reported in it.
        Global mergedGlobal = pick("global", global, other.global, conflict);
        ServersTransport transport = pick("serversTransport", serversTransport, other.serversTransport, conflict);
        TcpServersTransport tcpTransport = pick("tcpServersTransport", tcpServersTransport, other.tcpServersTransport, conflict);
        MetricsConfig mergedMetrics = pick("metrics", metrics, other.metrics, conflict);
        TracingConfig mergedTracing = pick("tracing", tracing, other.tracing, conflict);
        HostResolver resolver = pick("hostResolver", hostResolver, other.hostResolver, conflict);
        return new UnsupportedSections(mergedGlobal, transport, tcpTransport, mergedMetrics,
                mergedTracing, resolver, pick("experimental", experimental, other.experimental, conflict),
                pick("core", core, other.core, conflict), pick("spiffe", spiffe, other.spiffe, conflict),
                pick("ocsp", ocsp, other.ocsp, conflict), pick("pilot", pilot, other.pilot, conflict), pick("hub", hub, other.hub, conflict));
    }

    private static <T> T pick(String key, T mine, T theirs, Consumer<String> conflict) {
        if (mine != null && theirs != null) {
            conflict.accept(key);
        }
        return mine != null ? mine : theirs;
    }

    /** The keys of the sections present, in Traefik's order. */
    List<String> presentKeys() {
        List<String> keys = new ArrayList<>();
        Object[] values = {global, serversTransport, tcpServersTransport, metrics, tracing, hostResolver};
        String[] names = {"global", "serversTransport", "tcpServersTransport", "metrics", "tracing", "hostResolver"};
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                keys.add(names[i]);
            }
        }
        Object[] more = {experimental, core, spiffe, ocsp, pilot, hub};
        String[] moreNames = {"experimental", "core", "spiffe", "ocsp", "pilot", "hub"};
        for (int i = 0; i < more.length; i++) {
            if (more[i] != null) {
                keys.add(moreNames[i]);
            }
        }
        return keys;
    }

    /** {@code [global]}: Sluice never checks for new versions nor sends usage statistics. */
    public record Global(JsonNode checkNewVersion, JsonNode sendAnonymousUsage, JsonNode notAppendXForwardedFor) {}

    /** {@code [serversTransport]}: the default HTTP transport; Sluice's is {@code http.serversTransports} per service. */
    public record ServersTransport(JsonNode insecureSkipVerify, JsonNode rootCAs, JsonNode maxIdleConnsPerHost,
            JsonNode forwardingTimeouts, JsonNode spiffe) {}

    /** {@code [tcpServersTransport]}: the default TCP transport; Sluice's is {@code tcp.serversTransports} per service. */
    public record TcpServersTransport(JsonNode dialKeepAlive, JsonNode dialTimeout, JsonNode terminationDelay, JsonNode tls) {}

    /** {@code [hostResolver]}: CNAME flattening. */
    public record HostResolver(JsonNode cnameFlattening, JsonNode resolvConfig, JsonNode resolvDepth) {}

    /** {@code [experimental]}: plugins and Traefik's experimental switches. */
    public record Experimental(JsonNode plugins, JsonNode localPlugins, JsonNode abortOnPluginFailure, JsonNode fastProxy,
            JsonNode otlplogs, JsonNode knative, JsonNode kubernetesIngressNGINX, JsonNode kubernetesGateway) {}

    /** {@code [core]}: {@code defaultRuleSyntax} (deprecated in Traefik; Sluice speaks v3 rules only). */
    public record Core(JsonNode defaultRuleSyntax) {}

    /** {@code [spiffe]}: the SPIFFE workload API. */
    public record Spiffe(JsonNode workloadAPIAddr) {}

    /** {@code [ocsp]}: OCSP stapling. */
    public record Ocsp(JsonNode responderOverrides) {}
}
