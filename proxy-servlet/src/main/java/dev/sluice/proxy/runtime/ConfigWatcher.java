package dev.sluice.proxy.runtime;

import dev.sluice.proxy.config.ConfigException;
import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.ProviderFiles;
import dev.sluice.proxy.config.ProvidersConfig;
import dev.sluice.proxy.config.SluiceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the configuration when its files change: the files given at start (always watched),
 * those of {@code [providers.file]} (with {@code watch = true}, the default), and the certificate
 * and key files {@code [tls]} names (a renewed certificate is served without a restart). A new configuration is
 * loaded and validated as a whole; if it is rejected, every problem is logged with its key path and
 * the running one keeps serving. After an apply, changes are collected for
 * {@code providersThrottleDuration} before the next one.
 *
 * <p>Change detection reads the files' contents every {@link #POLL} and compares a digest:
 * it sees edits in place, editors that write by rename, a file or a whole directory replaced through
 * a symbolic link (Kubernetes ConfigMaps) or as a whole, on any file system, and nothing is reloaded
 * when only timestamps moved. Configuration files are small; reading them twice a second costs
 * nothing measurable. A change is applied once two polls in a row read the same new content: a
 * file caught half-written in place (by {@code echo > file} or an editor that truncates first) is
 * read again on the next poll instead of being rejected.
 *
 * <pre>
 * ConfigWatcher watcher = ConfigWatcher.start(files, config, runtime::swap);
 * watcher.reloadNow();   // SIGHUP
 * </pre>
 */
public final class ConfigWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);
    /** How often the files are read, unless {@link #start(List, SluiceConfig, Target, Duration)} says otherwise. */
    public static final Duration POLL = Duration.ofMillis(500);

    /** Applies a validated configuration; throws (and the running one stays) when it cannot be applied. */
    public interface Target {
        void apply(SluiceConfig config) throws Exception;
    }

    private final List<Path> files;
    private final Target target;
    private final ReloadHistory history;
    private final ScheduledExecutorService thread;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile boolean changePending;
    // The fields below are only used on the watcher's thread.
    private ProvidersConfig providers;
    private List<String> warnings;
    /** The certificate files of the configuration last loaded: watched too. */
    private List<Path> tlsFiles;
    private byte[] loaded;
    /** What the previous poll read, to tell a change that settled from one still being written. */
    private byte[] previous;
    private long lastApplyNanos;

    private ConfigWatcher(List<Path> files, SluiceConfig initial, Target target, ReloadHistory history) {
        this.files = List.copyOf(files);
        this.target = target;
        this.history = history;
        this.providers = initial.providers();
        this.warnings = initial.warnings();
        this.tlsFiles = initial.tls().files();
        this.thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "sluice-config-watch");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts watching {@code files}, whose content gave {@code initial} (already applied). A change
     * made between that load and this call is seen when {@code initial} says so: its files are read
     * again here, and a configuration that differs from {@code initial} is applied at the first poll.
     */
    public static ConfigWatcher start(List<Path> files, SluiceConfig initial, Target target) {
        return start(files, initial, target, POLL, null);
    }

    /** As {@link #start(List, SluiceConfig, Target)}, reading the files every {@code poll} (tests use a short one). */
    public static ConfigWatcher start(List<Path> files, SluiceConfig initial, Target target, Duration poll) {
        return start(files, initial, target, poll, null);
    }

    /** As {@link #start(List, SluiceConfig, Target)}, telling {@code history} of each rejection. */
    public static ConfigWatcher start(List<Path> files, SluiceConfig initial, Target target, ReloadHistory history) {
        return start(files, initial, target, POLL, history);
    }

    /** Polls every {@code poll} and tells {@code history} (if not null) of each rejection. */
    public static ConfigWatcher start(List<Path> files, SluiceConfig initial, Target target, Duration poll,
            ReloadHistory history) {
        ConfigWatcher watcher = new ConfigWatcher(files, initial, target, history);
        watcher.loaded = watcher.fingerprint();
        watcher.lastApplyNanos = System.nanoTime();
        try {
            if (!ConfigLoader.load(files).equals(initial)) {
                watcher.loaded = null; // changed since: the first poll reloads
            }
        } catch (ConfigException e) {
            watcher.loaded = null; // broken since: the first poll reports it
        }
        watcher.previous = watcher.loaded;
        long every = Math.max(1, poll.toMillis());
        watcher.thread.scheduleWithFixedDelay(watcher::poll, every, every, TimeUnit.MILLISECONDS);
        return watcher;
    }

    /** Reloads now, whether or not the files changed (SIGHUP); the throttle does not apply. */
    public void reloadNow() {
        thread.execute(() -> reload(fingerprint()));
    }

    /** Configurations applied since start (the first one not counted). */
    public long applied() {
        return applied.get();
    }

    /** True while a change has been seen and the throttle holds it back. */
    public boolean changePending() {
        return changePending;
    }

    /** Configurations rejected since start: invalid, or failing to apply. */
    public long rejected() {
        return rejected.get();
    }

    /** One look at the files; the watcher thread calls it every poll interval (a test with a long interval may call it itself). */
    void poll() {
        try {
            byte[] now = fingerprint();
            if (now == null) {
                return; // a file is missing for a moment (an editor between delete and rename): look again
            }
            boolean settled = Arrays.equals(now, previous);
            previous = now;
            if (Arrays.equals(now, loaded)) {
                return;
            }
            if (!settled) {
                return; // changed since the last poll: maybe still being written, read it again next time
            }
            long throttle = providers.providersThrottleDuration().toNanos();
            if (System.nanoTime() - lastApplyNanos < throttle) {
                changePending = true;
                return; // collected; applied once the throttle has passed
            }
            reload(now);
        } catch (RuntimeException e) {
            LOG.error("configuration watch failed", e);
        }
    }

    private void reload(byte[] fingerprint) {
        loaded = fingerprint;
        changePending = false;
        lastApplyNanos = System.nanoTime();
        SluiceConfig next;
        try {
            next = ConfigLoader.load(files);
        } catch (ConfigException e) {
            reject(e.problems());
            return;
        }
        providers = next.providers();
        tlsFiles = next.tls().files();
        try {
            target.apply(next);
            applied.incrementAndGet();
            LOG.info("configuration reloaded from {}", files.size() == 1 ? files.get(0) : files);
            // Warnings were logged at start; a reload logs only those it brings.
            next.warnings().stream().filter(w -> !warnings.contains(w)).forEach(w -> LOG.warn("{}", w));
            warnings = next.warnings();
        } catch (Exception e) {
            LOG.debug("apply failed", e);
            reject(List.of(e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    private void reject(List<String> problems) {
        rejected.incrementAndGet();
        if (history != null) {
            history.rejected(problems);
        }
        LOG.error("configuration rejected, the previous one keeps serving:\n  {}", String.join("\n  ", problems));
    }

    /** A digest of every watched file's name and content; null while one of the given files is missing or empty. */
    private byte[] fingerprint() {
        MessageDigest digest = sha256();
        List<Path> all = new ArrayList<>(files);
        ProvidersConfig.FileProviderConfig provider = providers.file();
        if (provider != null && provider.watch()) {
            try {
                all.addAll(ProviderFiles.list(provider));
            } catch (ConfigException e) {
                digest.update(e.getMessage().getBytes(java.nio.charset.StandardCharsets.UTF_8)); // reported by the load
            }
        }
        all.addAll(tlsFiles);
        for (Path file : all) {
            digest.update(file.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            try {
                byte[] content = Files.readAllBytes(file);
                if (content.length == 0 && files.contains(file)) {
                    // Truncated by a writer that has not written yet (a write in place): the state a stalled
                    // writer can leave for longer than any two polls. A configuration is never empty.
                    return null;
                }
                digest.update(content);
            } catch (NoSuchFileException e) {
                if (files.contains(file)) {
                    return null;
                }
                digest.update((byte) 0); // a provider file vanished between listing and reading: the next poll sees it
            } catch (IOException e) {
                digest.update(e.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return digest.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    @Override
    public String toString() {
        return "ConfigWatcher" + files + " throttle " + Duration.ofNanos(providers.providersThrottleDuration().toNanos());
    }
}
