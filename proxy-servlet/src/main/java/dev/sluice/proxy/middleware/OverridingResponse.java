package dev.sluice.proxy.middleware;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import org.eclipse.jetty.http.DateGenerator;

/**
 * A response whose owned headers (see {@link HeaderOverrides}) always hold what their rules make
 * of the values written for them. Nothing waits for the commit: every write to an owned name
 * re-renders it on the wrapped response at once, so the headers are right whatever commits the
 * response — the proxy's first chunk, an async {@code complete()} with no body, an error page
 * after {@link #reset()}. Writes to other names pass straight through.
 *
 * <p>Optionally a {@link BodyStart} hook sees the first body bytes before they are passed on,
 * while headers can still change (content sniffing). The output stream stays non-blocking: the
 * hook runs inside {@code write}, and {@code isReady}/{@code setWriteListener} are the container's.
 */
public final class OverridingResponse extends HttpServletResponseWrapper {
    /** Runs once, just before the first non-empty body write (not at all if a flush or writer comes first). */
    @FunctionalInterface
    public interface BodyStart {
        void beforeFirstBytes(HttpServletResponse response, byte[] bytes, int offset, int length);
    }

    private final HeaderOverrides overrides;
    /** Owned name → values written for it by the inner side (the upstream copy, Sluice's answers). */
    private final TreeMap<String, List<String>> written = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private BodyStart bodyStart;
    private ServletOutputStream output;

    OverridingResponse(HttpServletResponse response, HeaderOverrides overrides, BodyStart bodyStart) {
        super(response);
        this.overrides = overrides;
        this.bodyStart = bodyStart;
        adoptCurrentValues();
    }

    /** {@code response} with {@code hook} run before its first body bytes. */
    public static HttpServletResponse onBodyStart(HttpServletResponse response, BodyStart hook) {
        return new OverridingResponse(response, HeaderOverrides.NONE, hook);
    }

    /** What the response already holds counts as written; then every owned name is rendered. */
    private void adoptCurrentValues() {
        HttpServletResponse inner = (HttpServletResponse) getResponse();
        for (String name : overrides.names()) {
            Collection<String> current = inner.getHeaders(name);
            written.put(name, current == null ? new ArrayList<>() : new ArrayList<>(current));
        }
        for (String name : overrides.names()) {
            render(name);
        }
    }

    private void render(String owned) {
        List<String> input = new ArrayList<>();
        for (String source : overrides.sources(owned)) {
            input.addAll(written.getOrDefault(source, List.of()));
        }
        List<String> values = overrides.rule(owned).apply(input);
        HttpServletResponse inner = (HttpServletResponse) getResponse();
        if (values.isEmpty()) {
            if (inner.containsHeader(owned)) {
                // Servlet 6.0 leaves removal unspecified: Jetty 12 and Tomcat 11 remove on null,
                // Tomcat 10.1 ignores it (only headers present before the wrap are affected).
                inner.setHeader(owned, null);
            }
            return;
        }
        inner.setHeader(owned, values.get(0));
        for (int i = 1; i < values.size(); i++) {
            inner.addHeader(owned, values.get(i));
        }
    }

    /** Records a write to {@code name} if it is owned or renamed; false if it is not ours to judge. */
    private boolean write(String name, String value, boolean add) {
        if (name == null || !overrides.owns(name)) {
            return false;
        }
        List<String> values = written.computeIfAbsent(name, k -> new ArrayList<>());
        if (!add) {
            values.clear();
        }
        if (value != null) {
            values.add(value);
        }
        render(overrides.target(name));
        return true;
    }

    @Override
    public void setHeader(String name, String value) {
        if (!write(name, value, false)) {
            super.setHeader(name, value);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if (!write(name, value, true)) {
            super.addHeader(name, value);
        }
    }

    @Override
    public void setIntHeader(String name, int value) {
        if (!write(name, Integer.toString(value), false)) {
            super.setIntHeader(name, value);
        }
    }

    @Override
    public void addIntHeader(String name, int value) {
        if (!write(name, Integer.toString(value), true)) {
            super.addIntHeader(name, value);
        }
    }

    @Override
    public void setDateHeader(String name, long date) {
        if (!write(name, DateGenerator.formatDate(date), false)) {
            super.setDateHeader(name, date);
        }
    }

    @Override
    public void addDateHeader(String name, long date) {
        if (!write(name, DateGenerator.formatDate(date), true)) {
            super.addDateHeader(name, date);
        }
    }

    @Override
    public void setContentType(String type) {
        if (!write("Content-Type", type, false)) {
            super.setContentType(type);
        }
    }

    @Override
    public void setCharacterEncoding(String charset) {
        if (!overrides.owns("Content-Type")) {
            super.setCharacterEncoding(charset);
        }
    }

    @Override
    public void setContentLength(int length) {
        setContentLengthLong(length);
    }

    @Override
    public void setContentLengthLong(long length) {
        if (!write("Content-Length", length < 0 ? null : Long.toString(length), false)) {
            super.setContentLengthLong(length);
        }
    }

    /** The container forgets every header: ours are rendered again from nothing written. */
    @Override
    public void reset() {
        super.reset();
        written.clear();
        adoptCurrentValues();
    }

    @Override
    public void flushBuffer() throws IOException {
        bodyStart = null; // headers go out now, without body bytes to look at
        super.flushBuffer();
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        bodyStart = null; // text writers set their own Content-Type; nothing to sniff through them
        return super.getWriter();
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (bodyStart == null && output == null) {
            return super.getOutputStream();
        }
        if (output == null) {
            output = new HookedOutput(super.getOutputStream());
        }
        return output;
    }

    /** Passes everything through; the first non-empty write runs the hook first. */
    private final class HookedOutput extends OutputStreamWrapper {
        HookedOutput(ServletOutputStream out) {
            super(out);
        }

        private void beforeWrite(byte[] bytes, int offset, int length) {
            BodyStart hook = bodyStart;
            if (hook != null && length > 0) {
                bodyStart = null;
                hook.beforeFirstBytes(OverridingResponse.this, bytes, offset, length);
            }
        }

        @Override
        public void write(int b) throws IOException {
            if (bodyStart != null) {
                beforeWrite(new byte[] {(byte) b}, 0, 1);
            }
            out.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            beforeWrite(bytes, offset, length);
            out.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            bodyStart = null;
            out.flush();
        }

        @Override
        public void close() throws IOException {
            bodyStart = null;
            out.close();
        }
    }
}
