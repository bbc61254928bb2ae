package dev.sluice.relay;

import dev.sluice.proxy.config.IpRanges;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/** A TCP middleware: admits or refuses a connection once it is routed. Reactor thread only. */
interface TcpMiddleware {
    /** True to let the connection through; a refused connection is closed. */
    boolean admit(InetAddress client);

    /** The admitted connection from {@code client} ended. */
    default void release(InetAddress client) {}

    /** {@code ipAllowList}: only clients inside {@code sourceRange}. */
    record IpAllowList(IpRanges ranges) implements TcpMiddleware {
        @Override
        public boolean admit(InetAddress client) {
            return ranges.contains(client);
        }
    }

    /** {@code inFlightConn}: at most {@code amount} open connections per client IP. */
    final class InFlightConn implements TcpMiddleware {
        private final int amount;
        private final Map<InetAddress, Integer> open = new HashMap<>();

        InFlightConn(int amount) {
            this.amount = amount;
        }

        @Override
        public boolean admit(InetAddress client) {
            int now = open.getOrDefault(client, 0);
            if (now >= amount) {
                return false;
            }
            open.put(client, now + 1);
            return true;
        }

        @Override
        public void release(InetAddress client) {
            open.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
        }
    }
}
