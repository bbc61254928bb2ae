package dev.sluice.proxy.runtime;

import dev.sluice.proxy.health.HealthState;
import dev.sluice.proxy.observe.events.EventBus;
import dev.sluice.proxy.observe.events.EventType;
import dev.sluice.proxy.service.HttpService;
import dev.sluice.proxy.service.LoadBalancer;
import dev.sluice.proxy.service.Server;
import java.util.HashMap;
import java.util.Map;

/**
 * Publishes {@code server.up} and {@code server.down} when a load-balanced server's health changes.
 * Follows the serving snapshot: after each swap it listens to the servers it has not listened to yet
 * and stops listening to those gone. A server's health state outlives reloads (it is carried over),
 * so a reload neither repeats nor loses a transition.
 */
final class ServerHealthEvents {
    private final EventBus bus;
    /** By service and URL; guarded by {@code this} (swaps are serialized, but close may race one). */
    private final Map<Key, Subscription> subscriptions = new HashMap<>();

    ServerHealthEvents(EventBus bus) {
        this.bus = bus;
    }

    private record Key(String service, String url) {}

    /** Listens to every server of {@code snapshot}, and only to them. */
    synchronized void follow(Snapshot snapshot) {
        Map<Key, Subscription> next = new HashMap<>();
        for (String name : snapshot.config().http().services().keySet()) {
            HttpService service = snapshot.service(name);
            if (!(service instanceof LoadBalancer balancer)) {
                continue;
            }
            for (Server server : balancer.servers()) {
                Key key = new Key(name, server.url());
                Subscription known = subscriptions.remove(key);
                if (known != null && known.state == server.health()) {
                    next.put(key, known);
                } else {
                    if (known != null) {
                        known.close();
                    }
                    next.putIfAbsent(key, new Subscription(key, server.health()));
                }
            }
        }
        subscriptions.values().forEach(Subscription::close);
        subscriptions.clear();
        subscriptions.putAll(next);
    }

    synchronized void close() {
        subscriptions.values().forEach(Subscription::close);
        subscriptions.clear();
    }

    /** One server's listener; remembers the last state told so that each transition is told once. */
    private final class Subscription {
        private final HealthState state;
        private final AutoCloseable handle;
        private boolean up;

        Subscription(Key key, HealthState state) {
            this.state = state;
            this.up = state.isUp();
            this.handle = state.onChange(() -> changed(key));
        }

        private void changed(Key key) {
            boolean now = state.isUp();
            synchronized (this) {
                if (now == up) {
                    return;
                }
                up = now;
            }
            bus.publish(now ? EventType.SERVER_UP : EventType.SERVER_DOWN, key.service(),
                    dev.sluice.proxy.observe.events.Event.details("service", key.service(), "url", key.url()));
        }

        void close() {
            try {
                handle.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
