package dev.sluice.proxy.service;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a slice of a file with Servlet non-blocking I/O, so a slow client costs a buffer and
 * an open file, never a thread. Chunks are read from the channel only when the container says
 * the previous one has been accepted ({@code isReady()}), which keeps memory per download at
 * one chunk and lets the buffer be reused safely.
 */
final class StaticFileWriter implements WriteListener, AsyncListener {
    static final int CHUNK_SIZE = 32 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(StaticFileWriter.class);

    private final FileChannel channel;
    private final AsyncContext async;
    private final ServletOutputStream out;
    private final byte[] buffer;
    private final AtomicBoolean finished = new AtomicBoolean();
    private long position;
    private long remaining;

    private StaticFileWriter(FileChannel channel, AsyncContext async, ServletOutputStream out, long offset, long length) {
        this.channel = channel;
        this.async = async;
        this.out = out;
        this.position = offset;
        this.remaining = length;
        this.buffer = new byte[(int) Math.max(1, Math.min(CHUNK_SIZE, length))];
    }

    /**
     * Sends {@code length} bytes of {@code channel} from {@code offset}; headers must already be
     * set. Takes ownership of the channel: it is closed however the exchange ends.
     */
    static void start(HttpServletRequest request, HttpServletResponse response, FileChannel channel, long offset, long length)
            throws IOException {
        try {
            if (!request.isAsyncStarted() && !request.isAsyncSupported()) {
                // Mounted behind a servlet or filter without async support: still correct, but
                // this path holds the thread for as long as the client takes to read.
                copyBlocking(channel, response.getOutputStream(), offset, length);
                channel.close();
                return;
            }
            AsyncContext async = request.isAsyncStarted() ? request.getAsyncContext() : request.startAsync();
            // Once streaming, the container's idle timeout bounds a stalled client; an async
            // timeout (30 s by default) would cut large downloads on slow but live links.
            async.setTimeout(0);
            ServletOutputStream out = response.getOutputStream();
            StaticFileWriter writer = new StaticFileWriter(channel, async, out, offset, length);
            async.addListener(writer);
            out.setWriteListener(writer);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    @Override
    public void onWritePossible() throws IOException {
        // Complete only once isReady() confirms the last chunk was taken, never with a write pending.
        while (out.isReady()) {
            if (remaining == 0) {
                finish();
                return;
            }
            int n = (int) Math.min(buffer.length, remaining);
            ByteBuffer target = ByteBuffer.wrap(buffer, 0, n);
            while (target.hasRemaining()) {
                if (channel.read(target, position + target.position()) < 0) {
                    // The file shrank under us; the promised Content-Length cannot be met, so
                    // let the container abort the response rather than send a short body as whole.
                    throw new EOFException("file truncated while being served");
                }
            }
            position += n;
            remaining -= n;
            out.write(buffer, 0, n);
        }
    }

    @Override
    public void onError(Throwable failure) {
        // Mostly clients going away mid-download: routine, not worth more than debug.
        LOG.debug("static file write failed: {}", failure.toString());
        finish();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        closeQuietly(channel);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        finish();
    }

    @Override
    public void onError(AsyncEvent event) {
        finish();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not re-registered: one exchange, one writer
    }

    private void finish() {
        closeQuietly(channel);
        if (finished.compareAndSet(false, true)) {
            try {
                async.complete();
            } catch (IllegalStateException e) {
                // already completed or dispatched by the container after an error
            }
        }
    }

    private static void copyBlocking(FileChannel channel, ServletOutputStream out, long offset, long length) throws IOException {
        byte[] buffer = new byte[(int) Math.max(1, Math.min(CHUNK_SIZE, length))];
        long position = offset;
        long remaining = length;
        while (remaining > 0) {
            int n = (int) Math.min(buffer.length, remaining);
            ByteBuffer target = ByteBuffer.wrap(buffer, 0, n);
            while (target.hasRemaining()) {
                if (channel.read(target, position + target.position()) < 0) {
                    throw new EOFException("file truncated while being served");
                }
            }
            out.write(buffer, 0, n);
            position += n;
            remaining -= n;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing static file failed: {}", e.toString());
        }
    }
}
