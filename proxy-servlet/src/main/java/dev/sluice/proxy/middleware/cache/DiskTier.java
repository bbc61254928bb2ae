package dev.sluice.proxy.middleware.cache;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second tier of the cache: one file per entry in a directory, named after hashes of its
 * primary key and variant ({@code PRIMARY-VARIANT}), so that a PURGE finds every variant by prefix.
 * All file work runs on one thread of its own, never on a request thread, and in submission order:
 * a read after a purge or a write sees its effect. Files are written to a temporary name and moved
 * into place, so a reader never sees half an entry. Expired files are deleted when read.
 */
final class DiskTier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiskTier.class);

    private final Path directory;
    private final int maxBodyBytes;
    private final ExecutorService io;

    DiskTier(Path directory, int maxBodyBytes, String threadName) throws IOException {
        this.directory = Files.createDirectories(directory);
        this.maxBodyBytes = maxBodyBytes;
        this.io = Executors.newSingleThreadExecutor(run -> {
            Thread thread = new Thread(run, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    void write(String primary, String variant, CachedResponse entry) {
        submit(() -> {
            Path file = file(primary, variant);
            Path temporary = directory.resolve(file.getFileName() + ".tmp");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temporary))) {
                entry.writeTo(new DataOutputStream(out));
            } catch (IOException e) {
                LOG.warn("cache: cannot write {}: {}", temporary, e.toString());
                return;
            }
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                LOG.warn("cache: cannot move {} into place: {}", temporary, e.toString());
            }
        });
    }

    /** Calls {@code found}, on the disk thread, with the fresh entry or null. */
    void read(String primary, String variant, long nowMillis, Consumer<CachedResponse> found) {
        boolean submitted = submit(() -> {
            Path file = file(primary, variant);
            CachedResponse entry = null;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                entry = CachedResponse.readFrom(new DataInputStream(in), maxBodyBytes);
            } catch (NoSuchFileException absent) {
                // a miss
            } catch (IOException e) {
                LOG.debug("cache: unreadable {}: {}", file, e.toString());
            }
            if (entry != null && !entry.isFresh(nowMillis)) {
                delete(file);
                entry = null;
            }
            found.accept(entry);
        });
        if (!submitted) {
            found.accept(null);
        }
    }

    /** Deletes every variant of {@code primary}, then runs {@code done} on the disk thread. */
    void purge(String primary, Runnable done) {
        boolean submitted = submit(() -> {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, hash(primary) + "-*")) {
                files.forEach(DiskTier::delete);
            } catch (IOException e) {
                LOG.warn("cache: cannot list {}: {}", directory, e.toString());
            }
            done.run();
        });
        if (!submitted) {
            done.run();
        }
    }

    private boolean submit(Runnable task) {
        try {
            io.execute(task);
            return true;
        } catch (RejectedExecutionException closed) {
            return false;
        }
    }

    private Path file(String primary, String variant) {
        return directory.resolve(hash(primary) + "-" + hash(variant));
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cache: cannot delete {}: {}", file, e.toString());
        }
    }

    /** 128 bits of SHA-256: collisions are out of reach, and names stay short. */
    private static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
    }

    /** Lets queued writes finish (briefly), so that no thread of the cache outlives its snapshot. */
    @Override
    public void close() {
        io.shutdown();
        try {
            if (!io.awaitTermination(2, TimeUnit.SECONDS)) {
                io.shutdownNow();
            }
        } catch (InterruptedException e) {
            io.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
