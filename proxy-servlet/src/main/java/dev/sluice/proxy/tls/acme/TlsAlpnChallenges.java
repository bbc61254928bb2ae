package dev.sluice.proxy.tls.acme;

import dev.sluice.proxy.tls.CertifiedKey;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The TLS-ALPN-01 challenges pending now, shared by every resolver of a Sluice. When a ClientHello offers
 * ALPN {@link #PROTOCOL} for an SNI name that has one, the TLS entry point negotiates {@code acme-tls/1},
 * presents {@link #certificate} (a self-signed certificate carrying the acmeIdentifier extension) and
 * closes the connection after the handshake; it never serves it without that protocol.
 */
public final class TlsAlpnChallenges {
    /** The ALPN protocol of the challenge (RFC 8737). */
    public static final String PROTOCOL = "acme-tls/1";

    private final Map<String, CertifiedKey> byDomain = new ConcurrentHashMap<>();

    /** The challenge certificate for the SNI name {@code domain}, if a challenge for it is pending. */
    public Optional<CertifiedKey> certificate(String domain) {
        return Optional.ofNullable(byDomain.get(domain.toLowerCase(Locale.ROOT)));
    }

    void put(String domain, CertifiedKey key) {
        byDomain.put(domain.toLowerCase(Locale.ROOT), key);
    }

    void remove(String domain) {
        byDomain.remove(domain.toLowerCase(Locale.ROOT));
    }
}
