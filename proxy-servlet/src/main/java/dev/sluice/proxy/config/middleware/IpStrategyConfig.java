package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.IpRanges;
import dev.sluice.proxy.config.Problems;
import java.util.List;

/**
 * {@code ipStrategy}: how the client IP is found (ipAllowList, rateLimit, inFlightReq). With
 * {@code depth} > 0, the depth-th address of {@code X-Forwarded-For} from the right; else, with
 * {@code excludedIPs}, the rightmost address of {@code X-Forwarded-For} not in that list; else the
 * peer's address. {@code ipv6Subnet} (1-128) counts IPv6 addresses of one subnet as one client
 * (depth and peer address only, as in Traefik). An empty table means the peer's address.
 */
public record IpStrategyConfig(Integer depth, List<String> excludedIPs, Integer ipv6Subnet) {
    public IpStrategyConfig {
        depth = depth == null ? 0 : depth;
        excludedIPs = excludedIPs == null ? List.of() : List.copyOf(excludedIPs);
    }

    /** The peer's address, unmasked: what Traefik uses when no strategy is given. */
    public static final IpStrategyConfig REMOTE_ADDRESS = new IpStrategyConfig(0, List.of(), null);

    void validate(String path, Problems problems) {
        if (depth < 0) {
            problems.add(path + ".depth", "must be 0 or more, got " + depth);
        }
        for (int i = 0; i < excludedIPs.size(); i++) {
            if (!IpRanges.isValid(excludedIPs.get(i))) {
                problems.add(path + ".excludedIPs[" + i + "]", "expected an IP address or a CIDR block, got \"" + excludedIPs.get(i) + "\"");
            }
        }
        if (ipv6Subnet != null && (ipv6Subnet < 1 || ipv6Subnet > 128)) {
            problems.add(path + ".ipv6Subnet", "must be between 1 and 128, got " + ipv6Subnet);
        }
    }
}
