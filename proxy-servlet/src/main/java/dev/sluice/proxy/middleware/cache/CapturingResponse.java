package dev.sluice.proxy.middleware.cache;

import dev.sluice.proxy.middleware.OutputStreamWrapper;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * The response as the cache lets the rest of the chain see it: it sets {@code X-Cache-Status} with
 * every status, and, when capturing, keeps a copy of the body while it streams to the client, up to
 * a bound beyond which the copy is dropped (the answer then is not stored). Each write is one write
 * to the real stream; readiness and the write listener are the real stream's, so non-blocking
 * output works as without the cache.
 */
final class CapturingResponse extends HttpServletResponseWrapper {
    static final String STATUS_HEADER = "X-Cache-Status";

    private final String cacheStatus;
    private final int maxBytes;
    private ByteArrayOutputStream copy;
    private volatile boolean failed;
    private ServletOutputStream stream;

    /** @param maxBytes capture up to this many bytes; negative: do not capture */
    CapturingResponse(HttpServletResponse response, String cacheStatus, int maxBytes) {
        super(response);
        this.cacheStatus = cacheStatus;
        this.maxBytes = maxBytes;
        this.copy = maxBytes >= 0 ? new ByteArrayOutputStream() : null;
        super.setHeader(STATUS_HEADER, cacheStatus);
    }

    /** The whole body, or null when it was not captured completely. */
    byte[] body() {
        ByteArrayOutputStream captured = copy;
        return failed || captured == null ? null : captured.toByteArray();
    }

    @Override
    public void setStatus(int sc) {
        super.setStatus(sc);
        super.setHeader(STATUS_HEADER, cacheStatus);
    }

    @Override
    public void reset() {
        super.reset();
        if (copy != null) {
            copy.reset();
        }
        super.setHeader(STATUS_HEADER, cacheStatus);
    }

    @Override
    public void sendError(int sc) throws IOException {
        failed = true; // an error page or an abort (-1): not the upstream's answer
        super.sendError(sc);
    }

    @Override
    public void sendError(int sc, String msg) throws IOException {
        failed = true;
        super.sendError(sc, msg);
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        failed = true; // characters bypass the copy
        return super.getWriter();
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (copy == null) {
            return super.getOutputStream();
        }
        if (stream == null) {
            stream = new Tee(super.getOutputStream());
        }
        return stream;
    }

    private void capture(byte[] b, int off, int len) {
        ByteArrayOutputStream captured = copy;
        if (captured == null) {
            return;
        }
        if (captured.size() + (long) len > maxBytes) {
            copy = null; // too big to store: stop copying, keep streaming
            failed = true;
            return;
        }
        captured.write(b, off, len);
    }

    /** Writes through to the real stream and into the copy. */
    private final class Tee extends OutputStreamWrapper {
        Tee(ServletOutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            capture(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            capture(b, off, len);
        }
    }
}
