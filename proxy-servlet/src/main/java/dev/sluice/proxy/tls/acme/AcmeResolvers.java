package dev.sluice.proxy.tls.acme;

import dev.sluice.proxy.config.CertificatesResolverConfig;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every ACME resolver of one Sluice, with the one background thread ({@code sluice-acme}) that reads
 * their storage, orders, renews and writes; and the challenge registries the entry points answer from.
 *
 * <pre>
 * AcmeResolvers acme = AcmeResolvers.start(config.certificatesResolvers(), AcmeResolver.Options.defaults());
 * acme.http01().keyAuthorization(token);           // a plain entry point, /.well-known/acme-challenge/TOKEN
 * acme.tlsAlpn01().certificate(sni);                // a TLS entry point, when the client offers acme-tls/1
 * acme.resolver("le").ifPresent(le -> le.ensure(List.of("example.com")));
 * acme.close();
 * </pre>
 */
public final class AcmeResolvers implements AutoCloseable {
    private final ScheduledExecutorService executor;
    private final Map<String, AcmeResolver> resolvers = new LinkedHashMap<>();
    private final Http01Challenges http01 = new Http01Challenges();
    private final TlsAlpnChallenges tlsAlpn01 = new TlsAlpnChallenges();

    private AcmeResolvers(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /**
     * The resolvers with an {@code acme} section, their storage read in the background (what it holds is
     * served as soon as it is read, before any order), checked every {@link AcmeResolver.Options#checkInterval()}.
     *
     * @throws IOException a {@code caCertificates} file cannot be read
     */
    public static AcmeResolvers start(Map<String, CertificatesResolverConfig> configs, AcmeResolver.Options options)
            throws IOException, GeneralSecurityException {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-acme");
            t.setDaemon(true);
            return t;
        });
        AcmeResolvers all = new AcmeResolvers(executor);
        try {
            for (Map.Entry<String, CertificatesResolverConfig> e : configs.entrySet()) {
                if (e.getValue().acme() != null) {
                    all.resolvers.put(e.getKey(), new AcmeResolver(e.getKey(), e.getValue().acme(), options, all.http01, all.tlsAlpn01,
                            executor));
                }
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            executor.shutdownNow();
            throw e;
        }
        all.resolvers.values().forEach(r -> executor.execute(r::load));
        long every = options.checkInterval().toMillis();
        executor.scheduleWithFixedDelay(() -> all.resolvers.values().forEach(AcmeResolver::check), every, every, TimeUnit.MILLISECONDS);
        return all;
    }

    public Optional<AcmeResolver> resolver(String name) {
        return Optional.ofNullable(resolvers.get(name));
    }

    public Http01Challenges http01() {
        return http01;
    }

    public TlsAlpnChallenges tlsAlpn01() {
        return tlsAlpn01;
    }

    /** Stops the background thread; an order under way is interrupted (its attempt stays in the ledger). */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
