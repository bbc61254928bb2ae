package dev.sluice.proxy.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.health.HealthState.PassivePolicy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthStateTest {
    private static final PassivePolicy THREE_IN_200MS = new PassivePolicy(3, 200);

    private final ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler("health-test", true);
    private final HealthState state = new HealthState();
    private final AtomicInteger changes = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        scheduler.start();
        state.onChange(changes::incrementAndGet);
    }

    @AfterEach
    void stop() throws Exception {
        scheduler.stop();
    }

    @Test
    void startsUp() {
        assertTrue(state.isUp());
        assertEquals(0, changes.get());
    }

    @Test
    void failuresInterruptedBySuccessDoNotEject() {
        state.recordFailure(THREE_IN_200MS, scheduler);
        state.recordFailure(THREE_IN_200MS, scheduler);
        state.recordSuccess();
        state.recordFailure(THREE_IN_200MS, scheduler);
        state.recordFailure(THREE_IN_200MS, scheduler);
        assertTrue(state.isUp(), "never three in a row");
        assertEquals(0, changes.get());
    }

    @Test
    void threeFailuresInARowEjectForOneWindow() {
        state.recordFailure(THREE_IN_200MS, scheduler);
        state.recordFailure(THREE_IN_200MS, scheduler);
        assertTrue(state.isUp());
        long ejected = System.nanoTime();
        state.recordFailure(THREE_IN_200MS, scheduler);
        assertFalse(state.isUp());
        assertEquals(1, changes.get(), "one change: down");
        // More failures while ejected change nothing and open no second window.
        for (int i = 0; i < 5; i++) {
            state.recordFailure(THREE_IN_200MS, scheduler);
        }
        assertEquals(1, changes.get());
        Awaitility.await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10)).until(state::isUp);
        long downMillis = (System.nanoTime() - ejected) / 1_000_000;
        assertTrue(downMillis >= 190, "down for the window, was " + downMillis + " ms");
        assertEquals(2, changes.get(), "one more change: up again");
        // A fresh count after the window: it takes three again.
        state.recordFailure(THREE_IN_200MS, scheduler);
        state.recordFailure(THREE_IN_200MS, scheduler);
        assertTrue(state.isUp());
        state.recordFailure(THREE_IN_200MS, scheduler);
        assertFalse(state.isUp());
        assertEquals(3, changes.get());
    }

    @Test
    void withoutPolicyFailuresAreIgnored() {
        for (int i = 0; i < 10; i++) {
            state.recordFailure(null, scheduler);
        }
        assertTrue(state.isUp());
        assertEquals(0, changes.get());
    }

    @Test
    void activeTransitionsFireOnlyOnChange() {
        state.setActive(true);
        assertEquals(0, changes.get(), "up to up is no change");
        state.setActive(false);
        assertFalse(state.isUp());
        assertEquals(1, changes.get());
        state.setActive(false);
        state.setActive(false);
        assertEquals(1, changes.get(), "down to down is no change");
        state.setActive(true);
        assertTrue(state.isUp());
        assertEquals(2, changes.get());
        state.setActive(true);
        assertEquals(2, changes.get());
    }

    @Test
    void listenersHearOnlyChangesOfTheCombinedState() {
        PassivePolicy oneIn200ms = new PassivePolicy(1, 200);
        state.setActive(false);
        assertEquals(1, changes.get());
        // Passively ejected while the active check already says down: still down, no change.
        state.recordFailure(oneIn200ms, scheduler);
        assertFalse(state.isUp());
        assertEquals(1, changes.get(), "down and down again is no change");
        // The window closes while the active check still says down: no change either.
        Awaitility.await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertFalse(state.isUp());
        assertEquals(1, changes.get());
        state.setActive(true);
        assertTrue(state.isUp());
        assertEquals(2, changes.get());
    }

    @Test
    void activeUpDoesNotEndAPassiveEjection() {
        PassivePolicy oneIn200ms = new PassivePolicy(1, 200);
        state.recordFailure(oneIn200ms, scheduler);
        assertFalse(state.isUp());
        assertEquals(1, changes.get());
        state.setActive(false);
        state.setActive(true);
        assertFalse(state.isUp(), "still inside the failure window");
        assertEquals(1, changes.get(), "isUp() never changed");
        Awaitility.await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10)).until(state::isUp);
        assertEquals(2, changes.get());
    }
}
