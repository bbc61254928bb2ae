package dev.sluice.proxy.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.proxy.runtime.ReloadHistory;
import java.time.Instant;

/**
 * Sluice's {@code /api/reloads} (Traefik has none; its overview's warnings and errors are per
 * router, and Sluice refuses a broken configuration as a whole): how many configurations were
 * applied and rejected, when last, and the last {@value ReloadHistory#KEPT} rejections with every
 * problem and its key path. Times in ISO-8601 UTC, null when it never happened.
 */
final class Reloads {
    private Reloads() {}

    static ObjectNode of(ReloadHistory history) {
        ObjectNode o = ApiService.JSON.createObjectNode();
        o.put("applied", history.appliedCount());
        o.put("rejected", history.rejectedCount());
        time(o, "lastApplied", history.lastAppliedMillis());
        time(o, "lastRejected", history.lastRejectedMillis());
        ArrayNode recent = o.putArray("recentRejections");
        // Newest first: what an operator looks for.
        var rejections = history.recentRejections();
        for (int i = rejections.size() - 1; i >= 0; i--) {
            ReloadHistory.Rejection r = rejections.get(i);
            ObjectNode item = recent.addObject();
            item.put("time", r.time().toString());
            r.problems().forEach(item.putArray("problems")::add);
        }
        return o;
    }

    private static void time(ObjectNode o, String key, long millis) {
        if (millis == 0) {
            o.putNull(key);
        } else {
            o.put(key, Instant.ofEpochMilli(millis).toString());
        }
    }
}
