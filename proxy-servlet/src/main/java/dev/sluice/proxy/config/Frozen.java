package dev.sluice.proxy.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Immutable, null-free copies for config records; insertion order is kept for stable messages. */
final class Frozen {
    private Frozen() {}

    static <V> Map<String, V> map(Map<String, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : Collections.unmodifiableList(new java.util.ArrayList<>(list));
    }

    static <T> List<T> list(List<T> list, List<T> fallback) {
        return list == null ? fallback : list(list);
    }
}
