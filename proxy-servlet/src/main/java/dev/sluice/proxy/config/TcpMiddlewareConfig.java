package dev.sluice.proxy.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code [tcp.middlewares.NAME]}: exactly one of {@code inFlightConn}, {@code ipAllowList}
 * (or its old name {@code ipWhiteList}).
 */
public record TcpMiddlewareConfig(InFlightConn inFlightConn, IpAllowList ipAllowList, IpAllowList ipWhiteList) {

    /** The types that are set, by TOML type name. */
    public Map<String, Object> kinds() {
        Map<String, Object> kinds = new LinkedHashMap<>();
        if (inFlightConn != null) {
            kinds.put("inFlightConn", inFlightConn);
        }
        if (ipAllowList != null) {
            kinds.put("ipAllowList", ipAllowList);
        }
        if (ipWhiteList != null) {
            kinds.put("ipWhiteList", ipWhiteList);
        }
        return kinds;
    }

    /** The allow list, whichever of its two names was used. */
    public IpAllowList allowList() {
        return ipAllowList != null ? ipAllowList : ipWhiteList;
    }

    /** {@code inFlightConn}: at most {@code amount} simultaneous connections per client IP; more are closed. */
    public record InFlightConn(Integer amount) {}

    /** {@code ipAllowList}: connections from outside {@code sourceRange} (IPs, CIDRs) are closed. */
    public record IpAllowList(List<String> sourceRange) {
        public IpAllowList {
            sourceRange = Frozen.list(sourceRange);
        }
    }
}
