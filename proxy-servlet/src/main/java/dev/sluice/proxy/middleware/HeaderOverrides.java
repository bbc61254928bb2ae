package dev.sluice.proxy.middleware;

import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * What a middleware decides about response headers, whoever writes them afterwards: the upstream's
 * headers copied by the proxy servlet, a static file, or one of Sluice's own answers (404, 502).
 * Each owned header name has a {@link Rule} from the values written for it to the values the
 * client gets; {@link #wrap} applies the rules to a response and keeps them applied.
 *
 * <pre>{@code
 * HeaderOverrides overrides = HeaderOverrides.builder()
 *         .set("X-Frame-Options", "DENY")   // whatever the upstream says
 *         .remove("Server")                 // never sent
 *         .rename("X-Old", "X-New")
 *         .build();
 * chain.doFilter(request, overrides.wrap(response));
 * }</pre>
 *
 * <p>Immutable; build the static part once per middleware and add per-request rules with {@link #with}.
 */
public final class HeaderOverrides {
    /** The values the client gets for one header, from the values written for it (never null, maybe empty). */
    @FunctionalInterface
    public interface Rule extends UnaryOperator<List<String>> {}

    public static final HeaderOverrides NONE = new HeaderOverrides(new TreeMap<>(String.CASE_INSENSITIVE_ORDER),
            new TreeMap<>(String.CASE_INSENSITIVE_ORDER));

    /** Owned name (case-insensitive, spelled as configured) → rule. */
    private final TreeMap<String, Rule> rules;
    /** Owned name → further names whose written values it receives (renames). */
    private final TreeMap<String, List<String>> renamedInto;

    private HeaderOverrides(TreeMap<String, Rule> rules, TreeMap<String, List<String>> renamedInto) {
        this.rules = rules;
        this.renamedInto = renamedInto;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Always {@code value}, whatever is written. */
    public static Rule fixed(String value) {
        List<String> values = List.of(value);
        return written -> values;
    }

    /** Never sent. */
    public static Rule removed() {
        return written -> List.of();
    }

    /** {@code value} unless something else is written. */
    public static Rule byDefault(String value) {
        List<String> values = List.of(value);
        return written -> written.isEmpty() ? values : written;
    }

    /** The written values followed by {@code extra}. */
    public static Rule appended(List<String> extra) {
        List<String> copy = List.copyOf(extra);
        return written -> {
            List<String> all = new ArrayList<>(written);
            all.addAll(copy);
            return all;
        };
    }

    /** These overrides plus (or with {@code name} replaced by) one more rule. */
    public HeaderOverrides with(String name, Rule rule) {
        TreeMap<String, Rule> more = new TreeMap<>(rules);
        more.remove(name); // keep the new spelling
        more.put(name, rule);
        return new HeaderOverrides(more, renamedInto);
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** {@code response} with these overrides applied now and kept applied; itself when there are none. */
    public HttpServletResponse wrap(HttpServletResponse response) {
        return isEmpty() ? response : new OverridingResponse(response, this, null);
    }

    boolean owns(String name) {
        return rules.containsKey(name);
    }

    Set<String> names() {
        return Collections.unmodifiableSet(rules.keySet());
    }

    /** The owned name the values written for {@code name} end up under ({@code name} itself unless renamed). */
    String target(String name) {
        for (Map.Entry<String, List<String>> entry : renamedInto.entrySet()) {
            for (String source : entry.getValue()) {
                if (source.equalsIgnoreCase(name)) {
                    return entry.getKey();
                }
            }
        }
        return name;
    }

    /** Names whose written values feed {@code owned}: itself, then what was renamed into it. */
    List<String> sources(String owned) {
        List<String> renamed = renamedInto.get(owned);
        if (renamed == null) {
            return List.of(owned);
        }
        List<String> all = new ArrayList<>(renamed.size() + 1);
        all.add(owned);
        all.addAll(renamed);
        return all;
    }

    Rule rule(String owned) {
        return rules.get(owned);
    }

    /** Later calls for the same name (any case) replace earlier ones. */
    public static final class Builder {
        private final TreeMap<String, Rule> rules = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private final TreeMap<String, List<String>> renamedInto = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

        public Builder rule(String name, Rule rule) {
            rules.remove(name);
            rules.put(name, rule);
            return this;
        }

        public Builder set(String name, String value) {
            return rule(name, fixed(value));
        }

        public Builder remove(String name) {
            return rule(name, removed());
        }

        /**
         * Values written for {@code from} are sent under {@code to} instead, after what is written
         * for {@code to} itself; {@code to} keeps any rule of its own.
         */
        public Builder rename(String from, String to) {
            rule(from, removed());
            rules.putIfAbsent(to, written -> written);
            renamedInto.computeIfAbsent(to, k -> new ArrayList<>()).add(from);
            return this;
        }

        public HeaderOverrides build() {
            TreeMap<String, List<String>> renames = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            renamedInto.forEach((to, from) -> renames.put(to, List.copyOf(from)));
            return new HeaderOverrides(new TreeMap<>(rules), renames);
        }
    }
}
