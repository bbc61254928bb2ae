package dev.sluice.proxy.service;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;

/**
 * The client's response, counting the body bytes written to its output stream and noting when the
 * first went out. Text written through {@code getWriter()} (a plain servlet behind a
 * {@code MiddlewareFilter}) is not counted: a writer of ours would buffer what the container no
 * longer flushes at the end.
 */
final class MeteredResponse extends HttpServletResponseWrapper {
    private ServletOutputStream output;
    // Plain fields: one writer at a time, and the exchange's end (an async completion) comes after its writes.
    private long bytes;
    private long firstByteNanos;

    MeteredResponse(HttpServletResponse response) {
        super(response);
    }

    long bytesWritten() {
        return bytes;
    }

    /** {@link System#nanoTime()} of the first body byte (or flush), 0 if none yet. */
    long firstByteNanos() {
        return firstByteNanos;
    }

    private void wrote(int n) {
        if (firstByteNanos == 0) {
            firstByteNanos = System.nanoTime();
        }
        bytes += n;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (output == null) {
            output = new Counting(super.getOutputStream());
        }
        return output;
    }

    @Override
    public void resetBuffer() {
        super.resetBuffer();
        bytes = 0;
    }

    @Override
    public void reset() {
        super.reset();
        bytes = 0;
    }

    private final class Counting extends ServletOutputStream {
        private final ServletOutputStream delegate;

        Counting(ServletOutputStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public void write(int b) throws IOException {
            delegate.write(b);
            wrote(1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            delegate.write(bytes, offset, length);
            wrote(length);
        }

        @Override
        public void flush() throws IOException {
            delegate.flush();
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            delegate.setWriteListener(listener);
        }
    }
}
