package dev.sluice.proxy.observe;

/**
 * Told of the relay's TCP connections and UDP sessions: what metrics (open connections, bytes per
 * router) and the access log listen with. Every session the relay accepts ends exactly once; it is
 * opened first if it reached a server ({@link Session#opened()} says which on its end).
 *
 * <p>Called on the relay's single reactor thread, which serves every connection: an observer must
 * return at once and never block (count, or hand the immutable {@link Session} to a queue).
 */
@FunctionalInterface
public interface SessionObserver {
    SessionObserver NONE = session -> {};

    /** The session has its router and a connected server (for UDP: its first datagram came). */
    default void opened(Session session) {}

    /** The session is over, opened or not: {@link Session#end()} says how. */
    void ended(Session session);
}
