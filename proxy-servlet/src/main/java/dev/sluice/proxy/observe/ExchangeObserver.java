package dev.sluice.proxy.observe;

import dev.sluice.proxy.service.Exchange;

/**
 * Told once when an exchange is over, however it ended: what metrics, the access log and tracing
 * listen with. Called on the thread that ended the exchange (a container or client thread), so it
 * must not block; the exchange's request and response may only be read during the call.
 */
@FunctionalInterface
public interface ExchangeObserver {
    ExchangeObserver NONE = exchange -> {};

    void ended(Exchange exchange);
}
