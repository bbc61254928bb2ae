package dev.sluice.proxy.middleware.body;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A response whose body goes through a {@link BodyRewrite}. The headers the rewrite holds
 * (Content-Length at least) are kept here until the body's fate is decided: sent unchanged when
 * the body passes, dropped when it is transformed. Everything else reaches the container at once.
 */
final class RewrittenResponse extends HttpServletResponseWrapper {
    private final BodyRewrite rewrite;
    private final Set<String> heldNames;
    /** Lower-case name → [spelling, values…] of held headers not sent yet. */
    private final Map<String, List<String>> held = new LinkedHashMap<>();
    private long declaredLength = -1;
    private RewritingOutputStream stream;
    private PrintWriter writer;
    /** Decided (or bypassed): held headers from now on go straight to the container, or nowhere. */
    private Boolean passing;

    RewrittenResponse(HttpServletResponse response, BodyRewrite rewrite) {
        super(response);
        this.rewrite = rewrite;
        this.heldNames = rewrite.heldHeaders();
    }

    BodyRewrite.Transform decide(BodyRewrite.Moment moment, ByteBuffer held) {
        return rewrite.decide(this, moment, declaredLength, held);
    }

    /** The stream decided: send or drop the held headers; a whole body that passes gets its length. */
    void decided(boolean pass, int heldBytes, boolean ended) {
        passing = pass;
        if (pass) {
            held.forEach((key, spelling) -> {
                for (String value : spelling.subList(1, spelling.size())) {
                    super.addHeader(spelling.get(0), value);
                }
            });
            if (ended && declaredLength < 0 && heldBytes > 0) {
                super.setContentLengthLong(heldBytes);
            }
        }
        held.clear();
    }

    /**
     * Ends the body and runs {@code then} once it is written (see {@link RewritingOutputStream#finish}).
     * Without a body stream the held headers are simply sent (a HEAD or empty answer keeps its length).
     */
    void finish(Runnable then) throws IOException {
        if (writer != null) {
            writer.flush();
        }
        if (stream != null) {
            stream.finish(then);
            return;
        }
        if (passing == null) {
            decided(true, 0, true);
        }
        then.run();
    }

    @Override
    public synchronized ServletOutputStream getOutputStream() throws IOException {
        if (stream == null) {
            stream = new RewritingOutputStream(this, super.getOutputStream());
        }
        return stream;
    }

    @Override
    public synchronized PrintWriter getWriter() throws IOException {
        if (writer == null) {
            writer = new PrintWriter(new OutputStreamWriter(getOutputStream(), Charset.forName(getCharacterEncoding())));
        }
        return writer;
    }

    @Override
    public void flushBuffer() throws IOException {
        if (writer != null) {
            writer.flush();
        }
        if (stream != null) {
            stream.flush();
        }
    }

    @Override
    public void reset() {
        super.reset();
        held.clear();
        declaredLength = -1;
        passing = null;
        if (stream != null) {
            stream.reset();
        }
    }

    @Override
    public void resetBuffer() {
        super.resetBuffer();
        if (stream != null && !stream.decided()) {
            stream.reset();
        }
    }

    /** The container writes its own error page around this wrapper: nothing held applies to it. */
    @Override
    public void sendError(int sc, String msg) throws IOException {
        bypass();
        super.sendError(sc, msg);
    }

    @Override
    public void sendError(int sc) throws IOException {
        bypass();
        super.sendError(sc);
    }

    private void bypass() {
        held.clear();
        declaredLength = -1;
        passing = false;
        if (stream != null) {
            stream.abandon();
        }
    }

    @Override
    public void setContentLength(int len) {
        setContentLengthLong(len);
    }

    @Override
    public void setContentLengthLong(long len) {
        if (passing != null) {
            if (passing) {
                super.setContentLengthLong(len);
            }
            return;
        }
        declaredLength = len;
        held.remove("content-length");
        if (len >= 0) {
            hold("Content-Length", Long.toString(len), true);
        }
    }

    @Override
    public void setHeader(String name, String value) {
        if (!heldHere(name)) {
            super.setHeader(name, value);
        } else if (isContentLength(name)) {
            setContentLengthLong(value == null ? -1 : Long.parseLong(value.trim()));
        } else {
            hold(name, value, true);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if (!heldHere(name)) {
            super.addHeader(name, value);
        } else if (isContentLength(name)) {
            setContentLengthLong(Long.parseLong(value.trim()));
        } else {
            hold(name, value, false);
        }
    }

    @Override
    public void setIntHeader(String name, int value) {
        setHeader(name, Integer.toString(value));
    }

    @Override
    public void addIntHeader(String name, int value) {
        addHeader(name, Integer.toString(value));
    }

    @Override
    public boolean containsHeader(String name) {
        return heldHere(name) ? held.containsKey(key(name)) : super.containsHeader(name);
    }

    @Override
    public String getHeader(String name) {
        if (!heldHere(name)) {
            return super.getHeader(name);
        }
        List<String> values = held.get(key(name));
        return values == null ? null : values.get(1);
    }

    @Override
    public Collection<String> getHeaders(String name) {
        if (!heldHere(name)) {
            return super.getHeaders(name);
        }
        List<String> values = held.get(key(name));
        return values == null ? List.of() : List.copyOf(values.subList(1, values.size()));
    }

    @Override
    public Collection<String> getHeaderNames() {
        List<String> names = new ArrayList<>(super.getHeaderNames());
        held.values().forEach(v -> names.add(v.get(0)));
        return names;
    }

    /** A held header while the decision is still open (afterwards the container has the truth). */
    private boolean heldHere(String name) {
        if (name == null || !heldNames.contains(key(name))) {
            return false;
        }
        if (passing == null) {
            return true;
        }
        return !passing; // transformed: held headers are dropped for good
    }

    private void hold(String name, String value, boolean replace) {
        if (passing != null) {
            return; // transformed: dropped
        }
        if (value == null) {
            held.remove(key(name));
            return;
        }
        List<String> values = replace ? null : held.get(key(name));
        if (values == null) {
            values = new ArrayList<>(List.of(name));
            held.put(key(name), values);
        }
        values.add(value);
    }

    private static boolean isContentLength(String name) {
        return "content-length".equalsIgnoreCase(name);
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
