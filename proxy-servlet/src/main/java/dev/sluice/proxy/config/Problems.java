package dev.sluice.proxy.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Configuration problems found so far, each {@code "key.path: message"}; collected so one run shows
 * them all. The one sink every stage writes to: binding (values that do not parse), merging (names
 * defined twice) and each validator; {@link #throwIfAny()} turns them into one {@link ConfigException}.
 */
public final class Problems {
    private final List<String> messages = new ArrayList<>();

    public void add(String path, String message) {
        messages.add(path + ": " + message);
    }

    /** True if a problem was already reported at exactly {@code path}. */
    public boolean concerns(String path) {
        return messages.stream().anyMatch(m -> m.startsWith(path + ": "));
    }

    public int size() {
        return messages.size();
    }

    /** Throws a {@link ConfigException} listing every problem, in the order found, if there is any. */
    public void throwIfAny() throws ConfigException {
        if (!messages.isEmpty()) {
            throw new ConfigException(messages);
        }
    }

    public boolean isEmpty() {
        return messages.isEmpty();
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }
}
