package dev.sluice.proxy.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which side serves each entry point: the HTTP proxy (a Jetty connector or the container),
 * the TCP relay or the UDP relay. Sharing one entry point between HTTP and TCP routers is not
 * supported yet, so every entry point has exactly one role:
 * <ul>
 * <li>{@code UDP}: the address ends in {@code /udp};</li>
 * <li>{@code TCP}: the address ends in {@code /tcp}, or a TCP router names it and no HTTP router
 *     does, or there are no HTTP routers at all and some TCP router takes every entry point;</li>
 * <li>{@code HTTP}: every other one.</li>
 * </ul>
 * A router without {@code entryPoints} attaches to the entry points of its role marked
 * {@code asDefault}, or to all of them if none is (Traefik's rule, per protocol).
 */
public final class EntryPointRoles {
    /** What listens on an entry point. */
    public enum Role { HTTP, TCP, UDP }

    private final Map<String, Role> roles;
    private final Map<String, EntryPointConfig> entryPoints;

    private EntryPointRoles(Map<String, EntryPointConfig> entryPoints, Map<String, Role> roles) {
        this.entryPoints = entryPoints;
        this.roles = roles;
    }

    public static EntryPointRoles of(SluiceConfig config) {
        Map<String, Role> roles = new LinkedHashMap<>();
        boolean noHttpRouters = config.http().routers().isEmpty();
        boolean tcpTakesAll = config.tcp().routers().values().stream().anyMatch(r -> r.entryPoints().isEmpty());
        config.entryPoints().forEach((name, ep) -> {
            String address = ep.address() == null ? "" : ep.address().trim();
            Role role;
            if (address.endsWith("/udp")) {
                role = Role.UDP;
            } else if (address.endsWith("/tcp")) {
                role = Role.TCP;
            } else {
                boolean tcpNames = config.tcp().routers().values().stream().anyMatch(r -> r.entryPoints().contains(name));
                boolean httpNames = config.http().routers().values().stream().anyMatch(r -> r.entryPoints().contains(name));
                role = (tcpNames && !httpNames) || (noHttpRouters && tcpTakesAll) ? Role.TCP : Role.HTTP;
            }
            roles.put(name, role);
        });
        return new EntryPointRoles(config.entryPoints(), roles);
    }

    /** The role of entry point {@code name}, or null if there is no such entry point. */
    public Role role(String name) {
        return roles.get(name);
    }

    /** The entry points of {@code role}, in declaration order. */
    public List<String> all(Role role) {
        List<String> names = new ArrayList<>();
        roles.forEach((name, r) -> {
            if (r == role) {
                names.add(name);
            }
        });
        return names;
    }

    /** Where a router of {@code role} with {@code entryPoints} attaches: those, or the defaults of the role. */
    public List<String> attach(Role role, List<String> routerEntryPoints) {
        if (!routerEntryPoints.isEmpty()) {
            return routerEntryPoints;
        }
        List<String> all = all(role);
        List<String> marked = all.stream().filter(name -> entryPoints.get(name).asDefault()).toList();
        return marked.isEmpty() ? all : marked;
    }
}
