package dev.sluice.proxy.tls.acme;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The issuance ledger of one resolver, kept in its storage next to the certificates (Traefik ignores
 * the key): every order placed, and per certificate (its domains) the failures in a row, the last
 * attempt and the last issuance. It is what keeps a lost or corrupt certificate, or a CA that keeps
 * refusing, from making Sluice order in a loop: an attempt waits {@code base * 2^(failures-1)} (capped)
 * after the previous one, and a resolver places at most so many orders an hour. Touched by the
 * resolver's background thread only.
 */
final class Ledger {
    /** One certificate's history; {@code lastAttempt} and {@code lastIssued} may be null. */
    record Entry(int failures, Instant lastAttempt, Instant lastIssued, String lastError) {
        static final Entry NONE = new Entry(0, null, null, null);
    }

    private final Map<String, Entry> entries = new HashMap<>();
    private final List<Instant> orders = new ArrayList<>();
    /** What a certificate never seen has: none, or one failure "now" when the storage was found corrupt. */
    private Entry unknown = Entry.NONE;

    Ledger() {}

    Ledger(Map<String, Entry> entries, List<Instant> orders) {
        this.entries.putAll(entries);
        this.orders.addAll(orders);
    }

    Map<String, Entry> entries() {
        return Map.copyOf(entries);
    }

    List<Instant> orders() {
        return List.copyOf(orders);
    }

    Entry entry(String key) {
        return entries.getOrDefault(key, unknown);
    }

    /** The storage could not be read: every certificate not in this ledger counts one failure at {@code now}. */
    void storageCorrupt(Instant now) {
        unknown = new Entry(1, now, null, "storage unreadable");
    }

    /** A certificate this ledger saw issued is missing or unreadable in the storage: one failure, so re-ordering it backs off. */
    void lost(String key, String why) {
        Entry e = entry(key);
        entries.put(key, new Entry(e.failures() + 1, e.lastAttempt(), e.lastIssued(), why));
    }

    /** An order is placed now: recorded before it runs, so a crash during it still counts. */
    void ordered(String key, Instant now) {
        Entry e = entry(key);
        entries.put(key, new Entry(e.failures(), now, e.lastIssued(), e.lastError()));
        orders.add(now);
        orders.removeIf(at -> at.isBefore(now.minus(Duration.ofDays(7))));
    }

    void issued(String key, Instant now) {
        entries.put(key, new Entry(0, entry(key).lastAttempt(), now, null));
    }

    void failed(String key, String error) {
        Entry e = entry(key);
        entries.put(key, new Entry(e.failures() + 1, e.lastAttempt(), e.lastIssued(), error));
    }

    /** When the certificate {@code key} may be ordered next: at once without failures, else after the back-off. */
    Instant nextAttempt(String key, Duration base, Duration cap) {
        Entry e = entry(key);
        if (e.failures() == 0 || e.lastAttempt() == null) {
            return Instant.MIN;
        }
        Duration wait = base.multipliedBy(1L << Math.min(e.failures() - 1, 30));
        if (wait.compareTo(cap) > 0 || wait.isNegative()) {
            wait = cap;
        }
        return e.lastAttempt().plus(wait);
    }

    /** Orders placed in the hour before {@code now}. */
    long ordersInLastHour(Instant now) {
        Instant since = now.minus(Duration.ofHours(1));
        return orders.stream().filter(at -> at.isAfter(since)).count();
    }
}
