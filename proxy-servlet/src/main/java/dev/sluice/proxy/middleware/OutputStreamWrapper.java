package dev.sluice.proxy.middleware;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;

/**
 * A {@link ServletOutputStream} that passes everything to the container's, non-blocking writes
 * included; a middleware overrides what it watches (usually the writes). The Servlet API has
 * response wrappers but none for their streams.
 */
public abstract class OutputStreamWrapper extends ServletOutputStream {
    protected final ServletOutputStream out;

    protected OutputStreamWrapper(ServletOutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    @Override
    public boolean isReady() {
        return out.isReady();
    }

    @Override
    public void setWriteListener(WriteListener listener) {
        out.setWriteListener(listener);
    }
}
