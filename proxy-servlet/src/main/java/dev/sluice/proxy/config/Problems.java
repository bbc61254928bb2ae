package dev.sluice.proxy.config;

import java.util.ArrayList;
import java.util.List;

/** Configuration problems found so far, each {@code "key.path: message"}; collected so one run shows them all. */
public final class Problems {
    private final List<String> messages = new ArrayList<>();

    public void add(String path, String message) {
        messages.add(path + ": " + message);
    }

    public boolean isEmpty() {
        return messages.isEmpty();
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }
}
