package dev.sluice.proxy.observe;

import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The observers of a runtime's relay sessions: metrics and the access log add themselves and stay
 * across configuration reloads. Reading is a volatile array read; adding and removing copy it.
 */
public final class SessionObservers implements SessionObserver {
    private static final Logger LOG = LoggerFactory.getLogger(SessionObservers.class);

    private volatile SessionObserver[] observers = new SessionObserver[0];

    /** Adds {@code observer}; closing the handle removes it. */
    public synchronized AutoCloseable add(SessionObserver observer) {
        SessionObserver[] next = Arrays.copyOf(observers, observers.length + 1);
        next[next.length - 1] = observer;
        observers = next;
        return () -> remove(observer);
    }

    private synchronized void remove(SessionObserver observer) {
        observers = Arrays.stream(observers).filter(o -> o != observer).toArray(SessionObserver[]::new);
    }

    /** A failing observer is logged and never stops the others, nor the relay. */
    @Override
    public void opened(Session session) {
        for (SessionObserver observer : observers) {
            try {
                observer.opened(session);
            } catch (RuntimeException e) {
                LOG.warn("session observer {} failed", observer, e);
            }
        }
    }

    @Override
    public void ended(Session session) {
        for (SessionObserver observer : observers) {
            try {
                observer.ended(session);
            } catch (RuntimeException e) {
                LOG.warn("session observer {} failed", observer, e);
            }
        }
    }
}
