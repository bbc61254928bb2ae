package dev.sluice.standalone;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket file of a unix-socket entry point ({@code address = "unix:/run/sluice.sock"}): what is
 * done to the file around Jetty's {@code UnixDomainServerConnector}, which binds it and deletes it
 * when it stops, but refuses to bind over a file a crashed process left behind.
 */
final class UnixSocketFile {
    private static final Logger LOG = LoggerFactory.getLogger(UnixSocketFile.class);

    private final Path path;

    UnixSocketFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    /**
     * Before binding: a socket file nobody listens on any more (a Sluice that was killed) is removed;
     * one that still answers, or a file that is no socket, is left alone and the start fails saying so.
     */
    void removeStale() throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException absent) {
            Path parent = path.getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new IOException("cannot listen on unix:" + path + ": directory " + parent + " does not exist");
            }
            return;
        }
        if (!attributes.isOther()) {
            throw new IOException("cannot listen on unix:" + path + ": a " + (attributes.isDirectory() ? "directory" : "file")
                    + " that is no socket is in the way");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path)); // blocking, but a unix connect never waits on a network
        } catch (ConnectException refused) {
            Files.deleteIfExists(path);
            LOG.info("removed the stale unix socket {} (nothing listened on it)", path);
            return;
        }
        throw new IOException("cannot listen on unix:" + path + ": another process is listening on it");
    }

    /** Sets the file's permissions, when the configuration gives them ({@code unixSocket.mode}). */
    void mode(Set<PosixFilePermission> permissions) throws IOException {
        if (permissions != null) {
            Files.setPosixFilePermissions(path, permissions);
            LOG.debug("unix socket {}: mode {}", path, PosixFilePermissions.toString(permissions));
        }
    }
}
