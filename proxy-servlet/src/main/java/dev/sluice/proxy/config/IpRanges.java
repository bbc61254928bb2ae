package dev.sluice.proxy.config;

import dev.sluice.proxy.rule.IpNetwork;
import java.net.InetAddress;
import java.util.List;

/**
 * A set of IP addresses and CIDR blocks ({@code 10.0.0.0/8}, {@code ::1}, {@code fd00::/8}), such as
 * an entry point's {@code trustedIPs}. Parsing and matching are {@link IpNetwork}'s, the same as
 * the {@code ClientIP} rule's; matching allocates nothing and never touches DNS.
 */
public final class IpRanges {
    private final IpNetwork[] networks;

    private IpRanges(IpNetwork[] networks) {
        this.networks = networks;
    }

    /** Parses each entry; throws {@link IllegalArgumentException} naming the bad one. */
    public static IpRanges parse(List<String> entries) {
        return new IpRanges(entries.stream().map(entry -> IpNetwork.parse(entry.trim())).toArray(IpNetwork[]::new));
    }

    public static boolean isValid(String entry) {
        try {
            IpNetwork.parse(entry.trim());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public boolean isEmpty() {
        return networks.length == 0;
    }

    public boolean contains(InetAddress address) {
        for (IpNetwork network : networks) {
            if (network.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
