package dev.sluice.proxy.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The warnings for Traefik static keys that Sluice accepts but ignores: one line per key present,
 * {@code "`metrics.prometheus`: not supported yet, ignored"} for what a later version implements,
 * {@code "`providers.docker`: not supported by Sluice, ignored"} for what it never will. A section
 * only warned about as a whole ({@code api}, {@code tracing}, ...) is one key; a section whose first
 * level holds independent features ({@code metrics}, {@code global}, an entry point) is one key per
 * feature. {@link ConfigLoader} stores them in {@link SluiceConfig#warnings()}.
 */
public final class StaticWarnings {
    private StaticWarnings() {}

    /** Every warning for {@code config}, in Traefik's order of keys. */
    public static List<String> of(SluiceConfig config) {
        List<String> out = new ArrayList<>();
        UnsupportedSections u = config.unsupported();
        if (u.global() != null) {
            never(out, "global.checkNewVersion", u.global().checkNewVersion());
            never(out, "global.sendAnonymousUsage", u.global().sendAnonymousUsage());
            yet(out, "global.notAppendXForwardedFor", u.global().notAppendXForwardedFor());
        }
        yet(out, "serversTransport", u.serversTransport());
        yet(out, "tcpServersTransport", u.tcpServersTransport());
        config.entryPoints().forEach((name, ep) -> entryPoint(out, config, "entryPoints." + name, ep));
        if (config.providers().file() != null) {
            never(out, "providers.file.debugLogGeneratedTemplate", config.providers().file().debugLogGeneratedTemplate());
        }
        out.addAll(UnsupportedProviders.warnings(config.providers()));
        if (config.api() != null) {
            yet(out, "api.statistics", config.api().statistics());
        }
        if (u.metrics() != null) {
            MetricsConfig m = u.metrics();
            int before = out.size();
            if (m.prometheus() != null && m.prometheus().repeatsABucket()) {
                out.add("`metrics.prometheus.buckets`: a bound is given twice, it is kept once");
            }
            yet(out, "metrics.datadog", m.datadog());
            yet(out, "metrics.statsD", m.statsD());
            yet(out, "metrics.influxDB2", m.influxDB2());
            if (m.otlp() != null && m.otlp().http() != null && m.otlp().grpc() != null) {
                // Traefik's reference file sets both; it loads, and the choice is said (as for [tracing.otlp]).
                out.add("`metrics.otlp.grpc`: both http and grpc are given, http is used");
            }
            if (out.size() == before && m.prometheus() == null && m.otlp() == null && m.addInternals() == null) {
                out.add(notYet("metrics"));
            }
        }
        log(out, config.log());
        if (config.accessLog() != null) {
            AccessLogConfig a = config.accessLog();
            yet(out, "accessLog.dualOutput", a.dualOutput());
            yet(out, "accessLog.otlp", a.otlp());
        }
        if (u.tracing() != null && !u.tracing().globalAttributes().isEmpty()) {
            out.add("`tracing.globalAttributes`: deprecated in Traefik, use resourceAttributes (merged into them)");
        }
        yet(out, "hostResolver", u.hostResolver());
        config.certificatesResolvers().forEach((name, r) -> resolver(out, "certificatesResolvers." + name, r));
        out.addAll(HttpTls.of(config).warnings());
        never(out, "experimental", u.experimental());
        never(out, "core", u.core());
        yet(out, "spiffe", u.spiffe());
        yet(out, "ocsp", u.ocsp());
        never(out, "pilot", u.pilot());
        never(out, "hub", u.hub());
        return out;
    }

    private static void entryPoint(List<String> out, SluiceConfig config, String path, EntryPointConfig ep) {
        yet(out, path + ".allowACMEByPass", ep.allowACMEByPass());
        yet(out, path + ".reusePort", ep.reusePort());
        yet(out, path + ".transport.keepAliveMaxTime", ep.transport().keepAliveMaxTime());
        yet(out, path + ".transport.keepAliveMaxRequests", ep.transport().keepAliveMaxRequests());
        EntryPointConfig.ForwardedHeadersConfig forwarded = ep.forwardedHeaders();
        yet(out, path + ".forwardedHeaders.connection", forwarded.connection());
        yet(out, path + ".forwardedHeaders.notAppendXForwardedFor", forwarded.notAppendXForwardedFor());
        yet(out, path + ".forwardedHeaders.addXForwardedSchemeHeaders", forwarded.addXForwardedSchemeHeaders());
        EntryPointConfig.HttpOptions http = ep.http();
        if (http.tls() != null && http.tls().options() != null && config.tls().optionsNamed(http.tls().options()) == null) {
            out.add("`" + path + ".http.tls.options`: unknown TLS options \"" + http.tls().options() + "\", the default options apply");
        }
        if (http.redirections() != null && http.redirections().entryPoint() != null) {
            String to = http.redirections().entryPoint().to();
            if (to != null && !to.startsWith(":") && !config.entryPoints().containsKey(to)) {
                out.add("`" + path + ".http.redirections.entryPoint.to`: unknown entry point \"" + to + "\""
                        + Suggestions.didYouMean(to, config.entryPoints().keySet()) + ", no redirection");
            }
        }
        yet(out, path + ".http.encodedCharacters", http.encodedCharacters());
        yet(out, path + ".http.encodeQuerySemicolons", http.encodeQuerySemicolons());
        yet(out, path + ".http.sanitizePath", http.sanitizePath());
        yet(out, path + ".http.maxHeaderBytes", http.maxHeaderBytes());
        yet(out, path + ".http.underscoreHeadersStrategy", http.underscoreHeadersStrategy());
        if (ep.http2() != null) {
            yet(out, path + ".http2.maxConcurrentStreams", ep.http2().maxConcurrentStreams());
            yet(out, path + ".http2.maxDecoderHeaderTableSize", ep.http2().maxDecoderHeaderTableSize());
            yet(out, path + ".http2.maxEncoderHeaderTableSize", ep.http2().maxEncoderHeaderTableSize());
        }
        if (ep.http3() != null && !HttpTls.of(config).servesTls(path.substring("entryPoints.".length()))) {
            out.add("`" + path + ".http3`: HTTP/3 needs TLS routers on this entry point (none here), ignored");
        }
        yet(out, path + ".observability", ep.observability());
    }

    private static void resolver(List<String> out, String path, CertificatesResolverConfig resolver) {
        yet(out, path + ".tailscale", resolver.tailscale());
        AcmeConfig acme = resolver.acme();
        if (acme == null) {
            return;
        }
        yet(out, path + ".acme.profile", acme.profile());
        yet(out, path + ".acme.emailAddresses", acme.emailAddresses().isEmpty() ? null : acme.emailAddresses());
        yet(out, path + ".acme.disableCommonName", acme.disableCommonName());
        yet(out, path + ".acme.clientResponseHeaderTimeout", acme.clientResponseHeaderTimeout());
        yet(out, path + ".acme.caServerName", acme.caServerName());
        if (acme.dnsChallenge() != null) {
            AcmeConfig.DnsChallenge dns = acme.dnsChallenge();
            yet(out, path + ".acme.dnsChallenge.resolvers", dns.resolvers().isEmpty() ? null : dns.resolvers());
            yet(out, path + ".acme.dnsChallenge.delayBeforeCheck", dns.delayBeforeCheck());
            yet(out, path + ".acme.dnsChallenge.disablePropagationCheck", dns.disablePropagationCheck());
            yet(out, path + ".acme.dnsChallenge.propagation", dns.propagation());
        }
        if (acme.httpChallenge() != null) {
            yet(out, path + ".acme.httpChallenge.delay", acme.httpChallenge().delay());
        }
        if (acme.tlsChallenge() != null) {
            yet(out, path + ".acme.tlsChallenge.delay", acme.tlsChallenge().delay());
        }
    }

    private static void log(List<String> out, LogConfig log) {
        if (log.format() == LogConfig.Format.JSON) {
            out.add("`log.format`: json not supported yet, ignored (Sluice logs in the common format)");
        }
        yet(out, "log.noColor", log.noColor());
        yet(out, "log.filePath", log.filePath());
        yet(out, "log.maxSize", log.maxSize());
        yet(out, "log.maxAge", log.maxAge());
        yet(out, "log.maxBackups", log.maxBackups());
        yet(out, "log.compress", log.compress());
        yet(out, "log.otlp", log.otlp());
    }

    /** {@code "`path`: not supported yet, ignored"}: a later version implements it. */
    static String notYet(String path) {
        return "`" + path + "`: not supported yet, ignored";
    }

    /** {@code "`path`: not supported by Sluice, ignored"}: Sluice never will. */
    static String never(String path) {
        return "`" + path + "`: not supported by Sluice, ignored";
    }

    private static void yet(List<String> out, String path, Object value) {
        if (value != null) {
            out.add(notYet(path));
        }
    }

    private static void never(List<String> out, String path, Object value) {
        if (value != null) {
            out.add(never(path));
        }
    }
}
