package dev.sluice.proxy.transport;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.AbstractConnectionPool;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpDestination;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An upstream client as the runtime's carryover holds it. Closing it (a reload dropped or changed
 * its transport) lets the requests still using it finish, as Go's transport does for Traefik: it
 * is stopped once no connection is active and nothing is queued, checked every second, and at the
 * latest after {@link #MAX_DRAIN_MILLIS}.
 */
final class RetiringClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RetiringClient.class);
    static final long MAX_DRAIN_MILLIS = TimeUnit.HOURS.toMillis(1);

    private final HttpClient client;

    RetiringClient(HttpClient client) {
        this.client = client;
    }

    HttpClient client() {
        return client;
    }

    /**
     * The first look is a second away even when nothing is active: a request that picked the old
     * snapshot just before the swap may still be in its middlewares, about to use this client.
     */
    @Override
    public void close() {
        if (client.isRunning()) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_DRAIN_MILLIS);
            client.getScheduler().schedule(() -> stopWhenIdle(deadline), 1, TimeUnit.SECONDS);
        }
    }

    private void stopWhenIdle(long deadline) {
        if (!client.isRunning()) {
            return;
        }
        if (idle(client) || System.nanoTime() - deadline > 0) {
            // Not on the client's own scheduler thread: stopping the client stops that scheduler.
            Thread stopper = new Thread(() -> stop(client), "sluice-retire-" + client.getName());
            stopper.setDaemon(true);
            stopper.start();
            return;
        }
        client.getScheduler().schedule(() -> stopWhenIdle(deadline), 1, TimeUnit.SECONDS);
    }

    private static boolean idle(HttpClient client) {
        LeanUpstream lean = LeanUpstream.of(client);
        if (lean != null && lean.activeCalls() > 0) {
            return false;
        }
        for (Destination destination : client.getDestinations()) {
            if (destination instanceof HttpDestination http && http.getQueuedRequestCount() > 0) {
                return false;
            }
            if (destination.getConnectionPool() instanceof AbstractConnectionPool pool && pool.getActiveConnectionCount() > 0) {
                return false;
            }
        }
        return true;
    }

    static void stop(HttpClient client) {
        try {
            client.stop();
        } catch (Exception e) {
            LOG.warn("failed to stop upstream client {}", client.getName(), e);
        }
    }
}
