package dev.sluice.proxy.middleware.body;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A whole body kept for later: in memory up to a limit, the rest in a temporary file, deleted by
 * {@link #delete()} (callers do so when the exchange ends, however it ends).
 */
public final class SpillingBuffer extends OutputStream {
    private final long memoryLimit;
    private byte[] memory = new byte[1024];
    private int inMemory;
    private Path file;
    private OutputStream fileOut;
    private long size;

    /** @param memoryLimit bytes kept in memory before the rest goes to a temporary file */
    public SpillingBuffer(long memoryLimit) {
        this.memoryLimit = Math.max(0, Math.min(memoryLimit, Integer.MAX_VALUE - 16));
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int toMemory = (int) Math.min(len, memoryLimit - inMemory);
        if (toMemory > 0 && fileOut == null) {
            if (inMemory + toMemory > memory.length) {
                memory = Arrays.copyOf(memory, (int) Math.min(memoryLimit, Math.max(memory.length * 2L, inMemory + toMemory)));
            }
            System.arraycopy(b, off, memory, inMemory, toMemory);
            inMemory += toMemory;
        } else {
            toMemory = 0;
        }
        if (len > toMemory) {
            if (fileOut == null) {
                file = Files.createTempFile("sluice-body-", ".tmp");
                fileOut = Files.newOutputStream(file);
            }
            fileOut.write(b, off + toMemory, len - toMemory);
        }
        size += len;
    }

    /** Bytes written so far. */
    public long size() {
        return size;
    }

    /** The spill file, or null while everything fits in memory. */
    public Path file() {
        return file;
    }

    /** Ends writing. */
    @Override
    public void close() throws IOException {
        if (fileOut != null) {
            fileOut.close();
        }
    }

    /** Reads the whole body from the start (after {@link #close()}). */
    public InputStream open() throws IOException {
        InputStream head = new ByteArrayInputStream(memory, 0, inMemory);
        return file == null ? head : new SequenceInputStream(head, Files.newInputStream(file));
    }

    /** Frees the memory and deletes the spill file. */
    public void delete() {
        memory = new byte[0];
        inMemory = 0;
        try {
            if (fileOut != null) {
                fileOut.close();
            }
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a temp file left behind is the operating system's to clean
        }
    }
}
