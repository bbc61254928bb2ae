package dev.sluice.proxy.service;

import dev.sluice.proxy.config.EntryPointConfig.ForwardedHeadersConfig;
import dev.sluice.proxy.config.IpRanges;
import java.net.InetAddress;

/**
 * Whether the {@code X-Forwarded-*} headers a peer sends may be kept ({@code trustedIPs},
 * {@code insecure}) — per entry point, as in Traefik. Untrusted ones are dropped and rebuilt.
 */
public final class ForwardingPolicy {
    public static final ForwardingPolicy TRUST_NOBODY = new ForwardingPolicy(false, IpRanges.parse(java.util.List.of()));

    private final boolean insecure;
    private final IpRanges trusted;

    private ForwardingPolicy(boolean insecure, IpRanges trusted) {
        this.insecure = insecure;
        this.trusted = trusted;
    }

    public static ForwardingPolicy of(ForwardedHeadersConfig config) {
        return new ForwardingPolicy(config.insecure(), IpRanges.parse(config.trustedIPs()));
    }

    public boolean trusts(InetAddress peer) {
        return insecure || trusted.contains(peer);
    }

    /** Cheaper check first: most entry points trust nobody, and then the peer need not be parsed. */
    public boolean trustsAnybody() {
        return insecure || !trusted.isEmpty();
    }
}
