package dev.sluice.standalone;

import dev.sluice.proxy.config.CertificatesResolverConfig;
import dev.sluice.proxy.config.HttpTls;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.tls.CertificateLookup;
import dev.sluice.proxy.tls.CertifiedKey;
import dev.sluice.proxy.tls.acme.AcmeResolver;
import dev.sluice.proxy.tls.acme.AcmeResolvers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ACME resolvers the embedded server's routers name, each in its own {@link AcmeResolvers} so that a
 * reload keeps those whose configuration did not change (their certificates, pending orders and back-offs)
 * and restarts only the changed ones. The entry points read from here: the certificate of a host
 * ({@link #lookup}), the TLS-ALPN-01 certificate of a name, the HTTP-01 key authorization of a token.
 *
 * <pre>
 * AcmeCertificates acme = new AcmeCertificates(AcmeResolver.Options.defaults());
 * AcmeCertificates.Pending next = acme.prepare(config);   // starts what is new
 * next.commit();                                          // serves it, asks for the routers' domains
 * acme.close();
 * </pre>
 */
final class AcmeCertificates implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AcmeCertificates.class);

    /** One started resolver and the configuration it was started with. */
    private record Running(CertificatesResolverConfig config, AcmeResolvers resolvers) {
        Optional<AcmeResolver> resolver(String name) {
            return resolvers.resolver(name);
        }
    }

    private final AcmeResolver.Options options;
    /** Replaced whole by {@link Pending#commit()}; read by handshakes and requests. */
    private volatile Map<String, Running> running = Map.of();

    /** Told of every resolver's events ({@code certificate.*} events); a no-op by default. */
    private final AcmeResolver.Listener events;

    AcmeCertificates(AcmeResolver.Options options) {
        this(options, (domains, key) -> {});
    }

    AcmeCertificates(AcmeResolver.Options options, AcmeResolver.Listener events) {
        this.options = options;
        this.events = events;
    }

    /** What {@link #prepare} started, to serve ({@link #commit}) or to drop ({@link #abandon}). */
    final class Pending {
        private final Map<String, Running> next;
        private final Map<String, Running> started;
        private final Map<String, List<List<String>>> domains;

        private Pending(Map<String, Running> next, Map<String, Running> started, Map<String, List<List<String>>> domains) {
            this.next = next;
            this.started = started;
            this.domains = domains;
        }

        /** Serves the new resolvers, closes those replaced or gone, and asks each for its routers' domains. */
        void commit() {
            Map<String, Running> before = running;
            running = next;
            before.forEach((name, old) -> {
                if (next.get(name) != old) {
                    old.resolvers().close();
                    LOG.info("acme {}: stopped ({})", name, next.containsKey(name) ? "its configuration changed" : "no router names it");
                }
            });
            domains.forEach((name, lists) -> {
                Running r = next.get(name);
                if (r != null) {
                    r.resolver(name).ifPresent(resolver -> lists.forEach(resolver::ensure));
                }
            });
        }

        void abandon() {
            started.values().forEach(r -> r.resolvers().close());
        }
    }

    /**
     * Starts the resolvers {@code config}'s routers name that are not running with the same configuration
     * already; the running ones go on serving until {@link Pending#commit()}.
     *
     * @throws Exception a resolver cannot start (its {@code caCertificates} do not load): nothing changes
     */
    Pending prepare(SluiceConfig config) throws Exception {
        Map<String, List<List<String>>> domains = HttpTls.of(config).acmeDomains();
        Map<String, Running> current = running;
        Map<String, Running> next = new LinkedHashMap<>();
        Map<String, Running> started = new LinkedHashMap<>();
        try {
            for (String name : domains.keySet()) {
                CertificatesResolverConfig wanted = config.certificatesResolvers().get(name);
                Running kept = current.get(name);
                if (kept != null && Objects.equals(kept.config(), wanted)) {
                    next.put(name, kept);
                    continue;
                }
                Running fresh = new Running(wanted, AcmeResolvers.start(Map.of(name, wanted), options));
                fresh.resolver(name).ifPresent(resolver -> resolver.addListener(events));
                started.put(name, fresh);
                next.put(name, fresh);
            }
        } catch (Exception | Error e) {
            started.values().forEach(r -> r.resolvers().close());
            throw e;
        }
        return new Pending(Map.copyOf(next), started, domains);
    }

    /** The certificates of {@code resolverByHost}'s resolvers for their hosts (exact, then a wildcard entry). */
    CertificateLookup lookup(Map<String, String> resolverByHost) {
        if (resolverByHost.isEmpty()) {
            return CertificateLookup.NONE;
        }
        return sni -> {
            String resolver = resolverByHost.get(sni);
            int dot = sni.indexOf('.');
            if (resolver == null && dot > 0) {
                resolver = resolverByHost.get("*" + sni.substring(dot));
            }
            Running r = resolver == null ? null : running.get(resolver);
            return r == null ? Optional.empty() : r.resolver(resolver).flatMap(x -> x.certificate(sni));
        };
    }

    /** The TLS-ALPN-01 challenge certificate pending for SNI name {@code sni}, of any resolver. */
    Optional<CertifiedKey> challengeCertificate(String sni) {
        for (Running r : running.values()) {
            Optional<CertifiedKey> key = r.resolvers().tlsAlpn01().certificate(sni);
            if (key.isPresent()) {
                return key;
            }
        }
        return Optional.empty();
    }

    /** The HTTP-01 key authorization pending for {@code token}, of any resolver. */
    Optional<String> keyAuthorization(String token) {
        for (Running r : running.values()) {
            Optional<String> answer = r.resolvers().http01().keyAuthorization(token);
            if (answer.isPresent()) {
                return answer;
            }
        }
        return Optional.empty();
    }

    /** True while some resolver runs: the entry points answer ACME challenges. */
    boolean active() {
        return !running.isEmpty();
    }

    /** The running resolver {@code name} (for tests and events). */
    Optional<AcmeResolver> resolver(String name) {
        Running r = running.get(name);
        return r == null ? Optional.empty() : r.resolver(name);
    }

    @Override
    public void close() {
        Map<String, Running> stopping = running;
        running = Map.of();
        stopping.values().forEach(r -> r.resolvers().close());
    }
}
