package dev.sluice.proxy.service;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The up/down state a {@link HealthAware} service reports, and the listeners told of changes. */
final class HealthSignal {
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean up = true;

    boolean isUp() {
        return up;
    }

    void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** Sets the state; listeners run only on a change. Called under the owner's lock. */
    void set(boolean nowUp) {
        if (up != nowUp) {
            up = nowUp;
            listeners.forEach(Runnable::run);
        }
    }
}
