package dev.sluice.proxy.transport;

import org.eclipse.jetty.client.Connection;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.client.MultiplexConnectionPool;

/**
 * Jetty's pool with Traefik's {@code maxIdleConnsPerHost}: a connection finishing its exchange
 * while the pool already keeps that many idle ones is closed instead of kept.
 *
 * <p>Races: the idle count is read before the connection is released, while it is still in use by
 * this exchange, so no other request can have acquired it when it is closed; two connections
 * released at once may both see room and both stay, leaving one extra idle connection until the
 * idle timeout — never fewer than the cap while traffic needs them.
 */
final class IdleCappedPool extends MultiplexConnectionPool {
    private final int maxIdle;

    IdleCappedPool(Destination destination, int maxConnections, int maxIdle) {
        super(destination, maxConnections, 1);
        this.maxIdle = maxIdle;
    }

    @Override
    public boolean release(Connection connection) {
        if (getIdleConnectionCount() >= maxIdle && remove(connection)) {
            connection.close();
            return false;
        }
        return super.release(connection);
    }
}
