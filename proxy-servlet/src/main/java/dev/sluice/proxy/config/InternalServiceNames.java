package dev.sluice.proxy.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The internal services a router may name ({@code service = "api@internal"}), and when each exists:
 * as in Traefik, {@code api@internal} only with {@code [api]}, {@code ping@internal} only with
 * {@code [ping]}, and so on. Any other {@code NAME@internal} is a configuration error. This is the
 * configuration's side; the handlers themselves are registered in
 * {@code dev.sluice.proxy.admin.InternalServices}, which a new internal service joins too.
 */
public final class InternalServiceNames {
    public static final String SUFFIX = "@internal";

    /** When an internal service exists, and what to say when it does not. */
    private record Entry(Predicate<SluiceConfig> present, String absent) {}

    private static final Map<String, Entry> KNOWN = new LinkedHashMap<>();

    static {
        KNOWN.put("api", new Entry(c -> c.api() != null, "needs an [api] section"));
        KNOWN.put("dashboard", new Entry(c -> c.api() != null && c.api().dashboard(), "needs [api] with dashboard = true"));
        KNOWN.put("ping", new Entry(c -> c.ping() != null, "needs a [ping] section"));
        KNOWN.put("prometheus", new Entry(c -> c.metrics().prometheus() != null, "needs a [metrics.prometheus] section"));
        KNOWN.put("noop", new Entry(c -> true, ""));
        KNOWN.put("rest", new Entry(c -> false, "not supported by Sluice (it has no REST provider)"));
    }

    private InternalServiceNames() {}

    /** True for {@code NAME@internal}. */
    public static boolean isInternal(String service) {
        return service != null && service.endsWith(SUFFIX);
    }

    /** Null if {@code service} (an {@code @internal} name) exists in {@code config}, else why not. */
    static String problem(String service, SluiceConfig config) {
        String name = service.substring(0, service.length() - SUFFIX.length());
        Entry entry = KNOWN.get(name);
        if (entry == null) {
            return "unknown internal service \"" + service + "\""
                    + Suggestions.didYouMean(service, KNOWN.keySet().stream().map(n -> n + SUFFIX).toList());
        }
        return entry.present().test(config) ? null : "internal service \"" + service + "\" " + entry.absent();
    }
}
