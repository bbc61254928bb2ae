package dev.sluice.proxy.tls.acme;

import dev.sluice.proxy.config.AcmeConfig;
import dev.sluice.proxy.config.Pem;
import dev.sluice.proxy.tls.CertifiedKey;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code [certificatesResolvers.NAME.acme]}: the certificates it holds, and the orders and renewals
 * that keep them, all on the background thread of its {@link AcmeResolvers}. Nothing here blocks a caller.
 *
 * <pre>
 * AcmeResolver le = resolvers.resolver("le");
 * le.addListener((domains, key) -> sniKeyManager.refresh());      // new handshakes get the new certificate
 * le.ensure(List.of("example.com", "www.example.com"));           // one certificate for both names
 * Optional&lt;CertifiedKey&gt; key = le.certificate("www.example.com"); // empty until issued
 * </pre>
 *
 * <p>A certificate is renewed when a third of its lifetime is left (30 days of a 90-day certificate), the
 * lifetime being the shorter of its own and {@code certificatesDuration}. A failed order backs off per
 * certificate ({@link Options#backoffBase()} doubled per failure up to {@link Options#backoffCap()}), and
 * a resolver places at most {@link Options#ordersPerHour()} orders an hour: see {@link Ledger}.
 */
public final class AcmeResolver {
    private static final Logger LOG = LoggerFactory.getLogger(AcmeResolver.class);

    /** Told of new certificates and of every event; called on the background thread, so it must not block. */
    public interface Listener {
        /** A certificate was issued or renewed for {@code domains} (main first). */
        void certificateChanged(List<String> domains, CertifiedKey key);

        /** Anything the resolver did (each also one log line). */
        default void event(AcmeEvent event) {}
    }

    /**
     * What is not in the configuration.
     *
     * @param clock the time renewals and back-offs are planned by
     * @param caTrust trust for the CA's HTTPS; null: {@code caCertificates}, or the JDK's roots
     * @param checkInterval how often every certificate is looked at (renewal, back-off over)
     * @param backoffBase the wait after a first failure, doubled for each next one
     * @param backoffCap the longest wait
     * @param ordersPerHour orders one resolver places in an hour at most
     * @param challengeTimeout how long the CA may take to validate a challenge or an order
     * @param environment where {@code EXEC_PATH} of the DNS exec provider is read
     */
    public record Options(Clock clock, SSLContext caTrust, Duration checkInterval, Duration backoffBase, Duration backoffCap,
            int ordersPerHour, Duration challengeTimeout, Map<String, String> environment) {
        public static Options defaults() {
            return new Options(Clock.systemUTC(), null, Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofHours(24), 10,
                    Duration.ofMinutes(2), System.getenv());
        }

        public Options withClock(Clock newClock) {
            return new Options(newClock, caTrust, checkInterval, backoffBase, backoffCap, ordersPerHour, challengeTimeout, environment);
        }

        public Options withCheckInterval(Duration interval) {
            return new Options(clock, caTrust, interval, backoffBase, backoffCap, ordersPerHour, challengeTimeout, environment);
        }

        public Options withBackoff(Duration base, Duration cap) {
            return new Options(clock, caTrust, checkInterval, base, cap, ordersPerHour, challengeTimeout, environment);
        }

        public Options withEnvironment(Map<String, String> env) {
            return new Options(clock, caTrust, checkInterval, backoffBase, backoffCap, ordersPerHour, challengeTimeout, Map.copyOf(env));
        }
    }

    /** A certificate held: its domains, main first, and the key and chain. */
    private record Held(List<String> domains, CertifiedKey key) {
        X509Certificate leaf() {
            return key.chain().get(0);
        }
    }

    private final String name;
    private final AcmeConfig config;
    private final Options options;
    private final AcmeStorage storage;
    private final Issuer issuer;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService executor;
    /** Background thread only. */
    private final Map<String, List<String>> wanted = new LinkedHashMap<>();
    private AcmeStorage.Data data = AcmeStorage.Data.empty();
    private final Map<String, AcmeStorage.Certificate> stored = new LinkedHashMap<>();
    /** Read by any thread: immutable maps, replaced whole. */
    private volatile Map<String, Held> byKey = Map.of();
    private volatile Map<String, Held> byName = Map.of();

    AcmeResolver(String name, AcmeConfig config, Options options, Http01Challenges http01, TlsAlpnChallenges tlsAlpn01,
            ScheduledExecutorService executor) throws IOException, GeneralSecurityException {
        this.name = name;
        this.config = config;
        this.options = options;
        this.executor = executor;
        this.storage = new AcmeStorage(Path.of(config.storage()), name);
        this.issuer = new Issuer(config, options, http01, tlsAlpn01, options.caTrust() != null ? options.caTrust() : trust(config));
    }

    /** The resolver's name, as in {@code certificatesResolvers.NAME}. */
    public String name() {
        return name;
    }

    /** The certificate for SNI name {@code domain} (exact, else a wildcard), if one is held and not expired. */
    public Optional<CertifiedKey> certificate(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        Held held = byName.get(d);
        int dot = d.indexOf('.');
        if (held == null && dot > 0) {
            held = byName.get("*" + d.substring(dot));
        }
        if (held == null || !held.leaf().getNotAfter().toInstant().isAfter(options.clock().instant())) {
            return Optional.empty();
        }
        return Optional.of(held.key());
    }

    /**
     * Asks for one certificate covering {@code domains} (the first is the main one): ordered in the
     * background if none is held, renewed from then on. Returns at once; calling it again is harmless.
     */
    public void ensure(List<String> domains) {
        List<String> names = domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).distinct().toList();
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no domain");
        }
        executor.execute(() -> {
            wanted.putIfAbsent(key(names), names);
            check();
        });
    }

    /**
     * From now on tells {@code listener} of every new certificate and event; first, on the background thread,
     * of each certificate held already (read from the storage or issued before it was added), so a listener
     * added late misses none and hears of each once.
     */
    public void addListener(Listener listener) {
        Told told = new Told(listener);
        listeners.add(told); // at once: the events of the storage read, if still to come, are told too
        try {
            executor.execute(() -> byKey.values().forEach(held -> told.certificateChanged(held.domains(), held.key())));
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // a closed resolver tells nothing more
        }
    }

    /**
     * A listener and the certificates it was told of, so that the replay of {@link #addListener} and the storage
     * read or an issuance racing it tell each certificate once. Background thread only.
     */
    private static final class Told implements Listener {
        private final Listener listener;
        private final java.util.Set<CertifiedKey> told = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

        Told(Listener listener) {
            this.listener = listener;
        }

        @Override
        public void certificateChanged(List<String> domains, CertifiedKey key) {
            if (told.add(key)) {
                listener.certificateChanged(domains, key);
            }
        }

        @Override
        public void event(AcmeEvent event) {
            listener.event(event);
        }
    }

    /** Reads the storage; on the background thread, once, before anything else. */
    void load() {
        Instant now = options.clock().instant();
        try {
            data = storage.load();
        } catch (AcmeStorage.CorruptException e) {
            String where;
            try {
                where = "moved to " + storage.moveAside(now);
            } catch (IOException moveFailed) {
                where = "could not be moved aside: " + moveFailed.getMessage();
            }
            data = AcmeStorage.Data.empty();
            data.ledger().storageCorrupt(now);
            event(AcmeEvent.Type.STORAGE_FAILED, List.of(), "storage " + storage.file() + " is unreadable (" + e.getMessage() + "); "
                    + where + "; orders back off");
            return;
        } catch (IOException e) {
            data = AcmeStorage.Data.empty();
            data.ledger().storageCorrupt(now);
            event(AcmeEvent.Type.STORAGE_FAILED, List.of(), "storage " + storage.file() + " cannot be read: " + e.getMessage());
            return;
        }
        Map<String, Held> held = new LinkedHashMap<>();
        for (AcmeStorage.Certificate c : data.certificates()) {
            if (c.domains().isEmpty()) {
                continue;
            }
            String key = key(c.domains());
            stored.put(key, c);
            try {
                CertifiedKey ck = CertifiedKey.of(Pem.certificates(c.certificatePem()), Pem.privateKey(c.keyPem()));
                held.put(key, new Held(c.domains(), ck));
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                LOG.error("acme {}: stored certificate for {} is unreadable ({}); ordering it again backs off", name, c.domains(),
                        e.getMessage());
            }
        }
        // A certificate the ledger saw issued but the storage no longer gives: lost; re-ordering it counts as a failure.
        data.ledger().entries().forEach((key, entry) -> {
            if (entry.lastIssued() != null && !held.containsKey(key)) {
                data.ledger().lost(key, "certificate missing or unreadable in storage");
            }
        });
        publish(held);
        for (Listener l : listeners) {
            held.values().forEach(h -> l.certificateChanged(h.domains(), h.key()));
        }
    }

    /** Looks at every wanted certificate; orders those missing or due, unless backed off. Background thread. */
    void check() {
        for (List<String> domains : List.copyOf(wanted.values())) {
            String key = key(domains);
            Instant now = options.clock().instant();
            Held held = byKey.get(key);
            if (held != null && now.isBefore(renewAt(held.leaf(), data.ledger().entry(key).lastIssued()))) {
                continue;
            }
            if (now.isBefore(data.ledger().nextAttempt(key, options.backoffBase(), options.backoffCap()))) {
                continue;
            }
            if (data.ledger().ordersInLastHour(now) >= options.ordersPerHour()) {
                continue;
            }
            order(key, domains, held != null);
        }
    }

    private void order(String key, List<String> domains, boolean renewal) {
        Instant now = options.clock().instant();
        data.ledger().ordered(key, now);
        save();
        event(AcmeEvent.Type.ORDERED, domains, "");
        try {
            Issuer.Issued issued = issuer.issue(domains, data, account -> {
                data = new AcmeStorage.Data(account, data.certificates(), data.ledger());
                save();
            });
            stored.put(key, new AcmeStorage.Certificate(domains, issued.certificatePem(), issued.keyPem()));
            data.ledger().issued(key, options.clock().instant());
            data = new AcmeStorage.Data(data.account(), List.copyOf(stored.values()), data.ledger());
            save();
            Map<String, Held> held = new LinkedHashMap<>(byKey);
            held.put(key, new Held(domains, issued.key()));
            publish(held);
            event(renewal ? AcmeEvent.Type.RENEWED : AcmeEvent.Type.ISSUED, domains, "");
            for (Listener l : listeners) {
                l.certificateChanged(domains, issued.key());
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            issuer.reset();
            String error = e.getMessage() == null ? e.toString() : e.getMessage();
            data.ledger().failed(key, error);
            save();
            event(AcmeEvent.Type.FAILED, domains, error);
        }
    }

    /**
     * When {@code leaf} is due: a third of its lifetime left, the lifetime capped by {@code certificatesDuration}.
     * Counted from the later of its {@code notBefore} and when this resolver stored it ({@code issued}, by the
     * resolver's clock): CAs backdate {@code notBefore}, and a clock behind the CA's must not renew at once, again.
     */
    private Instant renewAt(X509Certificate leaf, Instant issued) {
        Instant notBefore = leaf.getNotBefore().toInstant();
        Duration lifetime = Duration.between(notBefore, leaf.getNotAfter().toInstant());
        Duration configured = Duration.ofHours(config.certificatesDuration());
        if (configured.compareTo(lifetime) < 0) {
            lifetime = configured;
        }
        Instant from = issued != null && issued.isAfter(notBefore) ? issued : notBefore;
        return from.plus(lifetime.multipliedBy(2).dividedBy(3));
    }

    private void publish(Map<String, Held> held) {
        Map<String, Held> names = new HashMap<>();
        held.values().forEach(h -> h.key().names().forEach(n -> names.putIfAbsent(n, h)));
        byKey = Map.copyOf(held);
        byName = Map.copyOf(names);
    }

    private void save() {
        try {
            storage.save(data);
        } catch (IOException e) {
            event(AcmeEvent.Type.STORAGE_FAILED, List.of(), "storage " + storage.file() + " cannot be written: " + e.getMessage());
        }
    }

    private void event(AcmeEvent.Type type, List<String> domains, String detail) {
        AcmeEvent event = new AcmeEvent(type, name, domains, detail, options.clock().instant());
        switch (type) {
            case ORDERED -> LOG.info("acme {}: ordering a certificate for {}", name, domains);
            case ISSUED -> LOG.info("acme {}: certificate issued for {}", name, domains);
            case RENEWED -> LOG.info("acme {}: certificate renewed for {}", name, domains);
            case FAILED -> LOG.error("acme {}: order for {} failed: {}", name, domains, detail);
            case STORAGE_FAILED -> LOG.error("acme {}: {}", name, detail);
        }
        for (Listener l : listeners) {
            l.event(event);
        }
    }

    /** The ledger's name of a certificate: its domains, main first, then the others sorted. */
    static String key(List<String> domains) {
        List<String> rest = new ArrayList<>(domains.subList(1, domains.size()));
        rest.sort(null);
        rest.add(0, domains.get(0));
        return String.join(",", rest);
    }

    private static SSLContext trust(AcmeConfig config) throws IOException, GeneralSecurityException {
        if (config.caCertificates().isEmpty()) {
            return null;
        }
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        int i = 0;
        for (String pem : config.caCertificates()) {
            for (X509Certificate cert : Pem.certificates(pem)) {
                store.setCertificateEntry("ca" + i++, cert);
            }
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        javax.net.ssl.TrustManager[] managers = tmf.getTrustManagers();
        if (config.caSystemCertPool()) {
            javax.net.ssl.TrustManagerFactory system = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            system.init((java.security.KeyStore) null);
            managers = new javax.net.ssl.TrustManager[] {new EitherTrustManager(
                    (javax.net.ssl.X509TrustManager) managers[0], (javax.net.ssl.X509TrustManager) system.getTrustManagers()[0])};
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, managers, null);
        return context;
    }
}
