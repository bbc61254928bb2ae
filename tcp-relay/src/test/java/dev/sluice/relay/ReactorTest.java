package dev.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The reactor's timers: cancelled ones do not pile up behind a long-lived one. */
class ReactorTest {
    @Test
    void cancelledTimersArePurgedBehindALongOne() throws Exception {
        try (Reactor reactor = new Reactor("test-reactor")) {
            reactor.start();
            CompletableFuture<int[]> sizes = new CompletableFuture<>();
            AtomicInteger ran = new AtomicInteger();
            reactor.execute(() -> {
                reactor.schedule(3_600_000, ran::incrementAndGet); // a long-lived connection's idle timer
                int peak = 0;
                for (int i = 0; i < 100_000; i++) { // short connections: scheduled, then cancelled
                    reactor.schedule(180_000, ran::incrementAndGet).cancel();
                    peak = Math.max(peak, reactor.queuedTimers());
                }
                sizes.complete(new int[] {peak, reactor.queuedTimers()});
            });
            int[] result = sizes.get(10, TimeUnit.SECONDS);
            assertTrue(result[0] <= 2_100, "queue peaked at " + result[0]);
            assertTrue(result[1] <= 2_100, "queue left at " + result[1]);
            assertEquals(0, ran.get());
        }
    }

    @Test
    void dueTimersRunAndCancelledOnesDoNot() throws Exception {
        try (Reactor reactor = new Reactor("test-reactor")) {
            reactor.start();
            List<String> order = new ArrayList<>();
            CompletableFuture<Void> done = new CompletableFuture<>();
            reactor.execute(() -> {
                reactor.schedule(30, () -> order.add("b"));
                reactor.schedule(10, () -> order.add("a"));
                reactor.schedule(20, () -> order.add("cancelled")).cancel();
                reactor.schedule(60, () -> done.complete(null));
            });
            done.get(5, TimeUnit.SECONDS);
            assertEquals(List.of("a", "b"), order);
        }
    }
}
