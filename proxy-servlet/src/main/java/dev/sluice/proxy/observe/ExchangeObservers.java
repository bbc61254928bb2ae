package dev.sluice.proxy.observe;

import dev.sluice.proxy.service.Exchange;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The observers of a runtime's exchanges: metrics, access log and tracing add themselves and stay
 * across configuration reloads. Reading is a volatile array read; adding and removing copy it.
 */
public final class ExchangeObservers implements ExchangeObserver {
    private static final Logger LOG = LoggerFactory.getLogger(ExchangeObservers.class);

    private volatile ExchangeObserver[] observers = new ExchangeObserver[0];

    /** Adds {@code observer}; closing the handle removes it. */
    public synchronized AutoCloseable add(ExchangeObserver observer) {
        ExchangeObserver[] next = Arrays.copyOf(observers, observers.length + 1);
        next[next.length - 1] = observer;
        observers = next;
        return () -> remove(observer);
    }

    private synchronized void remove(ExchangeObserver observer) {
        observers = Arrays.stream(observers).filter(o -> o != observer).toArray(ExchangeObserver[]::new);
    }

    /** Nothing added (no metrics, access log or tracing): exchanges need not meter their bodies. */
    @Override
    public boolean observes() {
        return observers.length > 0;
    }

    @Override
    public void began(Exchange exchange) {
        for (ExchangeObserver observer : observers) {
            try {
                observer.began(exchange);
            } catch (RuntimeException e) {
                LOG.warn("exchange observer {} failed", observer, e);
            }
        }
    }

    /** A failing observer is logged and never stops the others, nor the exchange's end. */
    @Override
    public void ended(Exchange exchange) {
        for (ExchangeObserver observer : observers) {
            try {
                observer.ended(exchange);
            } catch (RuntimeException e) {
                LOG.warn("exchange observer {} failed", observer, e);
            }
        }
    }
}
