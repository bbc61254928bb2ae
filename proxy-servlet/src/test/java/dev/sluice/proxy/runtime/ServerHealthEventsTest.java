package dev.sluice.proxy.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.health.HealthState;
import dev.sluice.proxy.observe.events.Event;
import dev.sluice.proxy.observe.events.EventType;
import dev.sluice.proxy.service.LoadBalancer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** server.up / server.down follow the serving snapshot across reloads: one listener per server, each transition told once. */
class ServerHealthEventsTest {
    private static final String SERVICE = """
            [http.routers.app]
            rule = "PathPrefix(`/`)"
            service = "app"
            [[http.services.app.loadBalancer.servers]]
            url = "http://127.0.0.1:9"
            """;
    // A webhook that wants none of what this test makes: it is an audience, but is never contacted.
    private static final String EVENTS = "[events.webhooks.quiet]\nurl = \"http://127.0.0.1:9/hook\"\nevents = [\"certificate.failed\"]\n";

    private static SluiceConfig config(String toml) throws Exception {
        return ConfigLoader.parse(toml, "test.toml");
    }

    private static HealthState health(SluiceRuntime runtime) {
        return ((LoadBalancer) runtime.current().service("app")).servers().get(0).health();
    }

    @Test
    void transitionsAreToldOnceAndReloadsNeitherRepeatNorLeakListeners() throws Exception {
        try (SluiceRuntime runtime = SluiceRuntime.start(config(SERVICE + EVENTS))) {
            List<Event> seen = new CopyOnWriteArrayList<>();
            runtime.events().subscribe(seen::add);
            HealthState state = health(runtime);
            assertEquals(2, state.listenerCount(), "its balancer and the events");

            runtime.swap(config(SERVICE + EVENTS + "[http.routers.other]\nrule = \"Path(`/o`)\"\nservice = \"app\"\n"));
            assertSame(state, health(runtime), "carried over");
            assertEquals(2, state.listenerCount(), "a reload does not add a listener");

            state.checked(false);
            state.checked(false);
            state.checked(true);
            List<Event> health = seen.stream().filter(e -> e.type() == EventType.SERVER_DOWN || e.type() == EventType.SERVER_UP).toList();
            assertEquals(List.of(EventType.SERVER_DOWN, EventType.SERVER_UP), health.stream().map(Event::type).toList());
            assertEquals("http://127.0.0.1:9", health.get(0).details().get("url"));
            assertEquals("app", health.get(0).details().get("service"));

            runtime.swap(config(SERVICE)); // no [events] and its listener still there: it still hears
            assertEquals(2, state.listenerCount());
            seen.clear();
            state.checked(false);
            assertEquals(List.of(EventType.SERVER_DOWN), seen.stream().map(Event::type).toList());
        }
    }

    @Test
    void withoutAnAudienceServersCarryNoListenerOfEvents() throws Exception {
        try (SluiceRuntime runtime = SluiceRuntime.start(config(SERVICE))) {
            assertEquals(1, health(runtime).listenerCount());
            runtime.swap(config(SERVICE + EVENTS));
            assertEquals(2, health(runtime).listenerCount());
        }
    }
}
