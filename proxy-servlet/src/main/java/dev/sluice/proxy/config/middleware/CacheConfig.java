package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.IpRanges;
import dev.sluice.proxy.config.Problems;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code cache} (Pingap's cache plugin): an HTTP cache of GET and HEAD answers that the upstream
 * marks fresh ({@code Cache-Control: max-age / s-maxage}, {@code Expires}), in memory bounded by
 * {@code maxSize}, optionally backed by files in {@code directory}.
 *
 * @param maxSize memory bound, the sum of the stored bodies (default {@code "100mb"})
 * @param maxEntrySize larger answers are streamed through and not stored (Pingap's
 *     {@code max_file_size}; default {@code "1mb"})
 * @param directory a directory for a second tier on disk; unset or {@code memory://…}: memory only
 * @param namespace kept apart from other caches sharing a directory (and part of every key)
 * @param headers request headers whose values are part of the key
 * @param maxTtl caps the lifetime the upstream grants; unset: no cap
 * @param lock how long concurrent misses of one key wait for the first to fill the cache
 *     (default {@code 1s}; {@code 0s}: no waiting)
 * @param purgeIpList clients (IPs or CIDRs) allowed to send {@code PURGE}; empty: nobody
 * @param skip a regex over the request URI (path and query): matching requests bypass the cache
 */
public record CacheConfig(ByteSize maxSize, ByteSize maxEntrySize, String directory, String namespace, List<String> headers,
        Duration maxTtl, Duration lock, List<String> purgeIpList, String skip) implements MiddlewareOptions {
    public static final ByteSize DEFAULT_MAX_SIZE = new ByteSize(100L * 1000 * 1000);
    public static final ByteSize DEFAULT_MAX_ENTRY_SIZE = new ByteSize(1000L * 1000);

    public CacheConfig {
        maxSize = maxSize == null ? DEFAULT_MAX_SIZE : maxSize;
        maxEntrySize = maxEntrySize == null ? DEFAULT_MAX_ENTRY_SIZE : maxEntrySize;
        directory = directory == null || directory.isBlank() || directory.toLowerCase(Locale.ROOT).startsWith("memory://") ? null : directory;
        namespace = namespace == null ? "" : namespace;
        headers = headers == null ? List.of() : List.copyOf(headers);
        lock = lock == null ? Duration.ofSeconds(1) : lock;
        purgeIpList = purgeIpList == null ? List.of() : List.copyOf(purgeIpList);
    }

    @Override
    public void validate(String path, Problems problems, HttpConfig http) {
        if (maxSize.bytes() == 0) {
            problems.add(path + ".maxSize", "must be more than 0");
        } else if (maxEntrySize.bytes() > Integer.MAX_VALUE - 8) {
            problems.add(path + ".maxEntrySize", "must be below 2gib, got " + maxEntrySize.bytes() + " bytes");
        } else if (maxEntrySize.bytes() > maxSize.bytes()) {
            problems.add(path + ".maxEntrySize", "must not exceed maxSize (" + maxSize.bytes() + " bytes), got " + maxEntrySize.bytes());
        }
        if (maxTtl != null && (maxTtl.isNegative() || maxTtl.isZero())) {
            problems.add(path + ".maxTtl", "must be more than 0");
        }
        if (lock.isNegative()) {
            problems.add(path + ".lock", "must not be negative");
        }
        for (int i = 0; i < purgeIpList.size(); i++) {
            if (!IpRanges.isValid(purgeIpList.get(i))) {
                problems.add(path + ".purgeIpList[" + i + "]", "invalid IP or CIDR \"" + purgeIpList.get(i) + "\"");
            }
        }
        for (int i = 0; i < headers.size(); i++) {
            if (headers.get(i).isBlank()) {
                problems.add(path + ".headers[" + i + "]", "empty header name");
            }
        }
        if (skip != null) {
            try {
                Pattern.compile(skip);
            } catch (PatternSyntaxException e) {
                problems.add(path + ".skip", "invalid regex \"" + skip + "\": " + e.getDescription());
            }
        }
        if (namespace.contains("/") || namespace.contains("\\") || namespace.equals("..")) {
            problems.add(path + ".namespace", "must not contain a path separator, got \"" + namespace + "\"");
        }
    }

    @Override
    public MiddlewareOptions resolvePaths(UnaryOperator<String> file) {
        return directory == null ? this
                : new CacheConfig(maxSize, maxEntrySize, file.apply(directory), namespace, headers, maxTtl, lock, purgeIpList, skip);
    }
}
