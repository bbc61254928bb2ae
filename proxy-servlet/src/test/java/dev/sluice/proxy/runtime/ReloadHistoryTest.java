package dev.sluice.proxy.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReloadHistoryTest {
    @Test
    void keepsTheLastTenRejectionsWithTheirProblemsOldestFirst() {
        ReloadHistory history = new ReloadHistory(Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC));
        history.applied();
        for (int i = 1; i <= 12; i++) {
            history.rejected(List.of("problem " + i));
        }
        history.rejected(); // a rejection told without its problems still counts
        assertEquals(13, history.rejectedCount());
        assertEquals(1, history.appliedCount());
        List<ReloadHistory.Rejection> recent = history.recentRejections();
        assertEquals(ReloadHistory.KEPT, recent.size());
        assertEquals(List.of("problem 4"), recent.get(0).problems());
        assertEquals(List.of("problem 12"), recent.get(8).problems());
        assertEquals(List.of(), recent.get(9).problems());
        assertEquals(Instant.parse("2026-01-02T03:04:05Z"), recent.get(9).time());
        assertEquals(Instant.parse("2026-01-02T03:04:05Z").toEpochMilli(), history.lastRejectedMillis());
    }
}
