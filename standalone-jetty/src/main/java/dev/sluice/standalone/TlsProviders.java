package dev.sluice.standalone;

import dev.sluice.proxy.tls.TlsProvider;
import java.util.Locale;
import java.util.function.Supplier;
import org.conscrypt.Conscrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --tls-provider auto|jdk|conscrypt}: who runs the handshakes of the HTTPS entry points.
 * Conscrypt (BoringSSL, through its bundled native library) does a full TLS 1.3 handshake for a
 * fraction of the JDK's CPU (see src/bench/README.md); {@code auto} takes it when its native
 * library loads on this platform, else the JDK's. The choice is logged once at start.
 *
 * <p>Only the JDK's provider staples OCSP responses: with it Sluice turns the JDK's server-side
 * stapling on ({@value #STAPLING}, unless set on the command line): for a certificate whose chain
 * holds its issuer and that names an OCSP responder (AIA), the JDK fetches the response when a client
 * asks for one, caches it (an hour, or until its nextUpdate) and staples it. The TCP relay and the
 * ACME TLS-ALPN-01 challenge handshakes always use the JDK's provider.
 */
final class TlsProviders {
    private static final Logger LOG = LoggerFactory.getLogger(TlsProviders.class);
    static final String AUTO = "auto";
    static final String JDK = "jdk";
    static final String CONSCRYPT = "conscrypt";
    /** The JDK's switch for server-side OCSP stapling, read by each new SSLContext. */
    static final String STAPLING = "jdk.tls.server.enableStatusRequestExtension";

    private TlsProviders() {}

    /**
     * The provider {@code choice} names.
     *
     * @throws IllegalArgumentException an unknown name, or {@code conscrypt} where its library does not load
     */
    static TlsProvider resolve(String choice) {
        String name = choice == null ? AUTO : choice.trim().toLowerCase(Locale.ROOT);
        switch (name) {
            case JDK:
                return TlsProvider.JDK;
            case CONSCRYPT: {
                Throwable unavailable = unavailability();
                if (unavailable != null) {
                    throw new IllegalArgumentException("--tls-provider conscrypt: Conscrypt's native library does not load on this"
                            + " platform (" + unavailable + ")");
                }
                return conscrypt();
            }
            case AUTO:
                return unavailability() == null ? conscrypt() : TlsProvider.JDK;
            default:
                throw new IllegalArgumentException("--tls-provider: unknown provider \"" + choice + "\"; known: auto, jdk, conscrypt");
        }
    }

    /** Resolves {@code choice} and says once, at start, which provider the HTTPS entry points use and why. */
    static TlsProvider resolveAndLog(String choice) {
        TlsProvider provider = resolve(choice);
        if (!provider.isJdk()) {
            LOG.info("TLS: HTTPS entry points use Conscrypt {} (BoringSSL){}", versionText(),
                    AUTO.equals(choice) ? "; --tls-provider jdk for the JDK's (OCSP stapling)" : "");
        } else {
            String stapling = enableStapling() ? "OCSP stapling on" : "OCSP stapling off (" + STAPLING + "=false)";
            if (AUTO.equals(choice)) {
                LOG.info("TLS: HTTPS entry points use the JDK's provider, {} (Conscrypt's native library does not load here: {})",
                        stapling, unavailability());
            } else {
                LOG.info("TLS: HTTPS entry points use the JDK's provider, {}", stapling);
            }
        }
        return provider;
    }

    /**
     * The provider {@code choice} names, resolved (and logged) when first asked for: with {@code auto}
     * that is when the first HTTPS entry point opens, so that a configuration without one loads
     * neither Conscrypt's classes nor its native library. An explicit choice is resolved at once, so
     * that {@code conscrypt} where it cannot load fails the start.
     *
     * @throws IllegalArgumentException as {@link #resolve}, for an explicit choice
     */
    static Supplier<TlsProvider> whenNeeded(String choice) {
        if (choice != null && !AUTO.equals(choice.trim().toLowerCase(Locale.ROOT))) {
            TlsProvider provider = resolveAndLog(choice);
            return () -> provider;
        }
        return new Supplier<>() {
            private TlsProvider provider;

            @Override
            public synchronized TlsProvider get() {
                if (provider == null) {
                    provider = resolveAndLog(AUTO);
                }
                return provider;
            }
        };
    }

    /** Turns the JDK's server-side OCSP stapling on unless the command line said otherwise; true if it is on. */
    static boolean enableStapling() {
        if (System.getProperty(STAPLING) == null) {
            System.setProperty(STAPLING, "true");
        }
        return Boolean.parseBoolean(System.getProperty(STAPLING));
    }

    private static String versionText() {
        Conscrypt.Version v = Conscrypt.version();
        return v == null ? "" : v.major() + "." + v.minor() + "." + v.patch();
    }

    private static TlsProvider conscrypt() {
        // Session tickets: the JDK's server issues them (TLS 1.3 resumption), Conscrypt's only when asked.
        return TlsProvider.of(CONSCRYPT, Conscrypt.newProvider(), engine -> Conscrypt.setUseSessionTickets(engine, true));
    }

    /** Null when Conscrypt's native library loads, else why not. */
    private static Throwable unavailability() {
        try {
            Conscrypt.checkAvailability();
            return null;
        } catch (Throwable e) {
            return e instanceof UnsatisfiedLinkError || e.getCause() == null ? e : e.getCause();
        }
    }
}
