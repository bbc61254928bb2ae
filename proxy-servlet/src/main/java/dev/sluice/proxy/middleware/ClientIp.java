package dev.sluice.proxy.middleware;

import dev.sluice.proxy.config.IpRanges;
import dev.sluice.proxy.config.middleware.IpStrategyConfig;
import dev.sluice.proxy.rule.IpNetwork;
import jakarta.servlet.http.HttpServletRequest;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Function;

/**
 * Traefik's {@code ipStrategy}: the client IP of a request, as text ({@code ""} when there is none,
 * e.g. {@code X-Forwarded-For} is shorter than {@code depth}). {@code X-Forwarded-For} is read as
 * the entry point let it through (untrusted peers' values are dropped before middlewares run).
 */
final class ClientIp {
    private static final String FORWARDED_FOR = "X-Forwarded-For";

    private ClientIp() {}

    static Function<HttpServletRequest, String> strategy(IpStrategyConfig config) {
        Integer subnet = config.ipv6Subnet();
        if (config.depth() > 0) {
            int depth = config.depth();
            return request -> masked(atDepth(forwardedFor(request), depth), subnet);
        }
        if (!config.excludedIPs().isEmpty()) {
            IpRanges excluded = IpRanges.parse(config.excludedIPs());
            return request -> firstNotExcluded(forwardedFor(request), excluded);
        }
        return request -> masked(stripBrackets(request.getRemoteAddr()), subnet);
    }

    private static String[] forwardedFor(HttpServletRequest request) {
        String value = request.getHeader(FORWARDED_FOR);
        return value == null ? new String[] {""} : value.split(",", -1);
    }

    /** The depth-th entry from the right, or "" if there are fewer. */
    private static String atDepth(String[] entries, int depth) {
        return entries.length < depth ? "" : entries[entries.length - depth].trim();
    }

    /** The rightmost entry that is not excluded (unparsable entries are not excluded), or "". */
    private static String firstNotExcluded(String[] entries, IpRanges excluded) {
        for (int i = entries.length - 1; i >= 0; i--) {
            String entry = entries[i].trim();
            if (!entry.isEmpty() && !excluded.contains(IpNetwork.parseAddress(entry))) {
                return entry;
            }
        }
        return "";
    }

    /** The first address of the {@code subnet}-bit IPv6 network of {@code ip}; other text as it is. */
    static String masked(String ip, Integer subnet) {
        if (subnet == null || ip.indexOf(':') < 0) {
            return ip;
        }
        InetAddress address = IpNetwork.parseAddress(ip);
        if (!(address instanceof Inet6Address)) {
            return ip;
        }
        byte[] bytes = address.getAddress();
        for (int bit = subnet; bit < 128; bit++) {
            bytes[bit >>> 3] &= (byte) ~(0x80 >>> (bit & 7));
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            return ip;
        }
    }

    private static String stripBrackets(String s) {
        return s.length() > 1 && s.charAt(0) == '[' && s.charAt(s.length() - 1) == ']' ? s.substring(1, s.length() - 1) : s;
    }
}
