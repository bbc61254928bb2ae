package dev.sluice.proxy.observe.accesslog;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where access log lines go: a file, appended to (created with its directories), or standard
 * output. Opened by whoever prepares a configuration; written, flushed, reopened and closed by the
 * writer thread only.
 */
final class Sink {
    private static final int BUFFER = 64 * 1024;

    /** The file; null for standard output. */
    final String path;
    private OutputStream out;
    private boolean closed;

    private Sink(String path, OutputStream out) {
        this.path = path;
        this.out = out;
    }

    static Sink open(String path) throws IOException {
        return new Sink(path, path == null ? new BufferedOutputStream(System.out, BUFFER) : file(path));
    }

    private static OutputStream file(String path) throws IOException {
        Path file = Path.of(path);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new BufferedOutputStream(new FileOutputStream(file.toFile(), true), BUFFER);
    }

    boolean isClosed() {
        return closed;
    }

    void write(byte[] line) throws IOException {
        out.write(line);
    }

    void flush() throws IOException {
        out.flush();
    }

    /** Closes and opens the file again by its name: after logrotate moved it, lines go to a new file. */
    void reopen() throws IOException {
        if (path == null) {
            out.flush();
            return;
        }
        OutputStream next = file(path);
        try {
            out.close();
        } finally {
            out = next;
        }
    }

    /** Flushes; closes the file (standard output stays open). */
    void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (path == null) {
            out.flush();
        } else {
            out.close();
        }
    }

    @Override
    public String toString() {
        return path == null ? "stdout" : path;
    }
}
