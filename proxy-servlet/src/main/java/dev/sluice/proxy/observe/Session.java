package dev.sluice.proxy.observe;

import java.net.InetSocketAddress;

/**
 * What is known of one TCP connection or UDP session the relay carried, as its observers see it.
 * Immutable: an observer may hand it to another thread (the access log's writer) as it is.
 *
 * <p>A TCP session starts when its connection is accepted; it is <em>opened</em> once it has a
 * router and a connected server. A UDP session starts and opens with the first datagram of a new
 * client address (its server is picked then) and usually ends after {@code udp.timeout} without a
 * datagram.
 *
 * @param protocol TCP or UDP
 * @param entryPoint the entry point it arrived on
 * @param router the router that took it; null when none did ({@link End#NO_ROUTE}, or before routing)
 * @param service the router's service; null with no router
 * @param server the server it was relayed to, {@code host:port} as configured; null when none was
 *     reached (for an unopened session, the last one tried, if any)
 * @param client the client's address (the PROXY header's source when one was trusted)
 * @param startMillis wall-clock time it started, for logs
 * @param durationNanos from its start to its end; 0 while open
 * @param bytesIn bytes relayed from the client towards the server
 * @param bytesOut bytes relayed from the server to the client
 * @param opened true if {@link SessionObserver#opened} was called for it
 * @param end how it ended; null while open
 */
public record Session(Protocol protocol, String entryPoint, String router, String service, String server, InetSocketAddress client,
        long startMillis, long durationNanos, long bytesIn, long bytesOut, boolean opened, End end) {

    /** The relay's two protocols, as metrics label them. */
    public enum Protocol { TCP, UDP }

    /** How a session ended. */
    public enum End {
        /** Both sides closed (or one did, and the other did not finish within {@code terminationDelay}). */
        CLOSED,
        /** No byte either way for the entry point's idle timeout (TCP) or {@code udp.timeout} (UDP: the usual end). */
        IDLE,
        /** No TCP router matched the connection. */
        NO_ROUTE,
        /** A middleware of the router refused it (ipAllowList, inFlightConn). */
        REFUSED,
        /** No healthy server, or every server tried refused the connection or did not answer the dial in time. */
        NO_SERVER,
        /** The client's first bytes were not what the entry point expects (a malformed PROXY header). */
        PROTOCOL_ERROR,
        /** A read or write failed on either side (a reset, a failed TLS handshake). */
        ERROR,
        /** The entry point stopped: Sluice shut down, or a reload removed or moved it. */
        STOPPED
    }

    /** The same session, over: with its duration, byte counts and end. */
    public Session ended(long durationNanos, long bytesIn, long bytesOut, End end) {
        return new Session(protocol, entryPoint, router, service, server, client, startMillis, durationNanos, bytesIn, bytesOut, opened, end);
    }

    @Override
    public String toString() {
        return protocol + "[" + entryPoint + " " + client + " -> " + router + "/" + service + " " + server
                + (end == null ? " open" : " " + end + " in=" + bytesIn + " out=" + bytesOut) + "]";
    }
}
