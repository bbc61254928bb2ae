package dev.sluice.proxy.observe;

import dev.sluice.proxy.service.Exchange;

/**
 * Told once when an exchange is over, however it ended: what metrics, the access log and tracing
 * listen with. Called on the thread that ended the exchange (a container or client thread), so it
 * must not block; the exchange's request and response may only be read during the call.
 */
@FunctionalInterface
public interface ExchangeObserver {
    ExchangeObserver NONE = new ExchangeObserver() {
        @Override
        public void ended(Exchange exchange) {}

        @Override
        public boolean observes() {
            return false;
        }
    };

    void ended(Exchange exchange);

    /**
     * Told when an exchange begins, on the request's thread, before routing: tracing starts its span
     * here ({@link Exchange#trace(ExchangeTrace)}). Nothing by default.
     */
    default void began(Exchange exchange) {}

    /**
     * False when telling this observer would do nothing: the exchange then neither meters the
     * request's and response's bodies nor their timing (bytes in and out read as 0).
     */
    default boolean observes() {
        return true;
    }
}
