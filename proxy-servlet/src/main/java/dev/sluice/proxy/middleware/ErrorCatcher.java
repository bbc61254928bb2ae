package dev.sluice.proxy.middleware;

import dev.sluice.proxy.config.middleware.StatusRanges;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.Locale;

/**
 * The response as the {@code errors} middleware lets the rest of the chain see it: as long as the
 * status is not one it catches, everything passes through untouched (the same output stream, so
 * streaming is unchanged). Once a caught status is set, the headers and body that follow are
 * dropped, so that nothing of that answer reaches the client; {@code reset()} starts over, as a
 * failover replaying on its fallback does.
 */
final class ErrorCatcher extends HttpServletResponseWrapper {
    private final StatusRanges caught;
    private final Discarding discarding = new Discarding();
    private volatile int caughtStatus;

    ErrorCatcher(HttpServletResponse response, StatusRanges caught) {
        super(response);
        this.caught = caught;
    }

    /** The caught status, or 0 when the answer passed through. */
    int caughtStatus() {
        return caughtStatus;
    }

    @Override
    public void setStatus(int sc) {
        if (caught.contains(sc)) {
            caughtStatus = sc;
        } else {
            caughtStatus = 0;
            super.setStatus(sc);
        }
    }

    @Override
    public void sendError(int sc) throws IOException {
        if (caught.contains(sc)) {
            caughtStatus = sc;
        } else {
            super.sendError(sc);
        }
    }

    @Override
    public void sendError(int sc, String msg) throws IOException {
        if (caught.contains(sc)) {
            caughtStatus = sc;
        } else {
            super.sendError(sc, msg);
        }
    }

    @Override
    public int getStatus() {
        int status = caughtStatus;
        return status != 0 ? status : super.getStatus();
    }

    @Override
    public void reset() {
        caughtStatus = 0;
        super.reset();
    }

    private boolean passing() {
        return caughtStatus == 0;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        return passing() ? super.getOutputStream() : discarding;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        return passing() ? super.getWriter() : new PrintWriter(Writer.nullWriter());
    }

    @Override
    public void resetBuffer() {
        if (passing()) {
            super.resetBuffer();
        }
    }

    @Override
    public void flushBuffer() throws IOException {
        if (passing()) {
            super.flushBuffer();
        }
    }

    @Override
    public void setHeader(String name, String value) {
        if (passing()) {
            super.setHeader(name, value);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if (passing()) {
            super.addHeader(name, value);
        }
    }

    @Override
    public void setIntHeader(String name, int value) {
        if (passing()) {
            super.setIntHeader(name, value);
        }
    }

    @Override
    public void addIntHeader(String name, int value) {
        if (passing()) {
            super.addIntHeader(name, value);
        }
    }

    @Override
    public void setDateHeader(String name, long date) {
        if (passing()) {
            super.setDateHeader(name, date);
        }
    }

    @Override
    public void addDateHeader(String name, long date) {
        if (passing()) {
            super.addDateHeader(name, date);
        }
    }

    @Override
    public void addCookie(Cookie cookie) {
        if (passing()) {
            super.addCookie(cookie);
        }
    }

    @Override
    public void setContentType(String type) {
        if (passing()) {
            super.setContentType(type);
        }
    }

    @Override
    public void setCharacterEncoding(String charset) {
        if (passing()) {
            super.setCharacterEncoding(charset);
        }
    }

    @Override
    public void setLocale(Locale locale) {
        if (passing()) {
            super.setLocale(locale);
        }
    }

    @Override
    public void setContentLength(int len) {
        if (passing()) {
            super.setContentLength(len);
        }
    }

    @Override
    public void setContentLengthLong(long len) {
        if (passing()) {
            super.setContentLengthLong(len);
        }
    }

    @Override
    public void setTrailerFields(java.util.function.Supplier<java.util.Map<String, String>> supplier) {
        if (passing()) {
            super.setTrailerFields(supplier);
        }
    }

    /**
     * Takes every write at once and drops it. Its listener is told right away that writing is
     * possible, as a real stream would be; every later write completes immediately too.
     */
    private static final class Discarding extends ServletOutputStream {
        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            try {
                listener.onWritePossible();
            } catch (IOException | RuntimeException e) {
                listener.onError(e);
            }
        }

        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] b, int off, int len) {}
    }
}
