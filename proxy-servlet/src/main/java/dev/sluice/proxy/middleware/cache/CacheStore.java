package dev.sluice.proxy.middleware.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where entries live: memory first (Caffeine, bounded by the sum of the bodies), then, if
 * configured, the disk tier, which keeps what memory evicted. Remembers for each primary key the
 * request headers its last answer varied on, to find the variant a request asks for.
 */
final class CacheStore implements AutoCloseable {
    /** Primary keys whose Vary is remembered; beyond that, a Vary'd entry may be missed and fetched again. */
    private static final int MAX_VARY_KEYS = 100_000;

    private final Cache<String, CachedResponse> memory;
    private final Cache<String, List<String>> varyByPrimary;
    private final DiskTier disk;

    CacheStore(long maxBytes, DiskTier disk) {
        this.memory = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String key, CachedResponse entry) -> entry.body().length)
                .executor(Runnable::run) // evict at once, on the writer's thread: the bound holds at every moment
                .build();
        this.varyByPrimary = Caffeine.newBuilder().maximumSize(MAX_VARY_KEYS).executor(Runnable::run).build();
        this.disk = disk;
    }

    boolean hasDisk() {
        return disk != null;
    }

    /** The entry in memory for this request's variant of {@code primary}, fresh or not, or null. */
    CachedResponse inMemory(String primary, HttpServletRequest request) {
        return memory.getIfPresent(key(primary, variant(primary, request)));
    }

    /** Looks on disk; a fresh entry found is put back in memory. {@code found} runs on the disk thread. */
    void onDisk(String primary, HttpServletRequest request, long nowMillis, Consumer<CachedResponse> found) {
        String variant = variant(primary, request);
        disk.read(primary, variant, nowMillis, entry -> {
            if (entry != null) {
                memory.put(key(primary, variant), entry);
            }
            found.accept(entry);
        });
    }

    void put(String primary, HttpServletRequest request, List<String> vary, CachedResponse entry) {
        if (vary.isEmpty()) {
            varyByPrimary.invalidate(primary);
        } else {
            varyByPrimary.put(primary, List.copyOf(vary));
        }
        String variant = CacheKeys.variant(request, vary);
        memory.put(key(primary, variant), entry);
        if (disk != null) {
            disk.write(primary, variant, entry);
        }
    }

    void remove(String primary, HttpServletRequest request) {
        memory.invalidate(key(primary, variant(primary, request)));
    }

    /** Removes every variant of {@code primary} from memory now and from disk before {@code done} runs. */
    void purge(String primary, Runnable done) {
        String prefix = primary + CacheKeys.SEPARATOR + CacheKeys.SEPARATOR;
        memory.asMap().keySet().removeIf(key -> key.startsWith(prefix));
        varyByPrimary.invalidate(primary);
        if (disk != null) {
            disk.purge(primary, done);
        } else {
            done.run();
        }
    }

    private String variant(String primary, HttpServletRequest request) {
        List<String> vary = varyByPrimary.getIfPresent(primary);
        return vary == null ? "" : CacheKeys.variant(request, vary);
    }

    /**
     * Every primary key holds the same number of separators (no header value or request line holds
     * one), so {@code primary + two separators} is a prefix of its own variants' keys only.
     */
    private static String key(String primary, String variant) {
        return primary + CacheKeys.SEPARATOR + CacheKeys.SEPARATOR + variant;
    }

    @Override
    public void close() {
        if (disk != null) {
            disk.close();
        }
    }
}
