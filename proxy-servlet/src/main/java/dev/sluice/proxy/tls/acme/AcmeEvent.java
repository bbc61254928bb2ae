package dev.sluice.proxy.tls.acme;

import java.time.Instant;
import java.util.List;

/**
 * One thing a resolver did, each also one log line: an order placed, a certificate issued or renewed, a
 * failure (of an order, or of the storage), in the order they happen.
 *
 * @param type what happened
 * @param resolver the resolver's name
 * @param domains the certificate's domains, main first (empty for a storage failure)
 * @param detail the error of a failure, else empty
 * @param at when, by the resolver's clock
 */
public record AcmeEvent(Type type, String resolver, List<String> domains, String detail, Instant at) {
    public AcmeEvent {
        domains = List.copyOf(domains);
    }

    /** The kinds of events. */
    public enum Type {
        /** An order was placed with the CA. */
        ORDERED,
        /** A first certificate for these domains was issued and stored. */
        ISSUED,
        /** A certificate replaced the one stored for these domains. */
        RENEWED,
        /** An order failed; the next attempt backs off. */
        FAILED,
        /** The storage file could not be read (moved aside) or written. */
        STORAGE_FAILED
    }
}
