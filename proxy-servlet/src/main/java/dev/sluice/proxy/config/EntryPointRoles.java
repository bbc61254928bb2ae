package dev.sluice.proxy.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which side serves each entry point: the HTTP proxy (a Jetty connector or the container),
 * the TCP relay or the UDP relay:
 * <ul>
 * <li>{@code UDP}: the address ends in {@code /udp};</li>
 * <li>{@code HTTP} and {@linkplain #shared shared}: an HTTP router names it, and so does a TCP router
 *     or its address ends in {@code /tcp}. The relay listens and tries the TCP routers first;
 *     what none of them takes goes to the HTTP side (standalone only);</li>
 * <li>{@code TCP}: the address ends in {@code /tcp}, or a TCP router names it, or there are no HTTP
 *     routers at all and some TCP router takes every entry point;</li>
 * <li>{@code HTTP}: every other one.</li>
 * </ul>
 * A router without {@code entryPoints} attaches to the entry points of its role marked
 * {@code asDefault}, or to all of them if none is (Traefik's rule, per protocol); TCP routers also
 * to the shared ones. The {@code traefik} entry point is never a default one (Traefik's rule too):
 * only routers that name it attach to it, so the API is never on it by accident, nor a user's router on
 * the admin port.
 */
public final class EntryPointRoles {
    /** What listens on an entry point. */
    public enum Role { HTTP, TCP, UDP }

    private final Map<String, Role> roles;
    private final Map<String, EntryPointConfig> entryPoints;
    private final List<String> shared;

    private EntryPointRoles(Map<String, EntryPointConfig> entryPoints, Map<String, Role> roles, List<String> shared) {
        this.entryPoints = entryPoints;
        this.roles = roles;
        this.shared = shared;
    }

    public static EntryPointRoles of(SluiceConfig config) {
        Map<String, Role> roles = new LinkedHashMap<>();
        List<String> shared = new ArrayList<>();
        boolean noHttpRouters = config.http().routers().isEmpty();
        boolean tcpTakesAll = config.tcp().routers().values().stream().anyMatch(r -> r.entryPoints().isEmpty());
        config.entryPoints().forEach((name, ep) -> {
            String address = ep.address() == null ? "" : ep.address().trim();
            Role role;
            if (EntryPointAddress.isUnix(address)) {
                // A socket file may end in "/udp" or "/tcp": no suffix is read. A TCP router naming it is refused by validation.
                boolean tcpNames = config.tcp().routers().values().stream().anyMatch(r -> r.entryPoints().contains(name));
                role = tcpNames ? Role.TCP : Role.HTTP;
            } else if (address.endsWith("/udp")) {
                role = Role.UDP;
            } else {
                boolean tcpSuffix = address.endsWith("/tcp");
                boolean tcpNames = config.tcp().routers().values().stream().anyMatch(r -> r.entryPoints().contains(name));
                boolean httpNames = config.http().routers().values().stream().anyMatch(r -> r.entryPoints().contains(name));
                if (httpNames && (tcpNames || tcpSuffix)) {
                    role = Role.HTTP;
                    shared.add(name);
                } else {
                    role = tcpSuffix || tcpNames || (noHttpRouters && tcpTakesAll) ? Role.TCP : Role.HTTP;
                }
            }
            roles.put(name, role);
        });
        return new EntryPointRoles(config.entryPoints(), roles, List.copyOf(shared));
    }

    /** HTTP entry points the relay listens on too, trying TCP routers before the HTTP side. */
    public List<String> shared() {
        return shared;
    }

    /** True if the relay listens on entry point {@code name} (TCP, UDP or shared). */
    public boolean relayed(String name) {
        return roles.get(name) != Role.HTTP || shared.contains(name);
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
        List<String> all = new ArrayList<>(all(role));
        if (role == Role.TCP) {
            all.addAll(shared);
        }
        // Traefik's getDefaultsEntrypoints: the internal entry point is never a default one.
        all.remove(InternalRouting.ENTRY_POINT);
        List<String> marked = all.stream().filter(name -> entryPoints.get(name).asDefault()).toList();
        return marked.isEmpty() ? all : marked;
    }
}
