package dev.sluice.proxy.middleware;

import dev.sluice.proxy.middleware.body.SpillingBuffer;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A request whose body was read whole by {@code buffering}: served again from memory and disk,
 * with a fixed Content-Length and without Transfer-Encoding or Expect (the client had its 100
 * already).
 */
final class StoredBodyRequest extends HttpServletRequestWrapper {
    private static final Set<String> HIDDEN = Set.of("transfer-encoding", "expect", "content-length");

    private final SpillingBuffer body;
    private ServletInputStream stream;

    StoredBodyRequest(HttpServletRequest request, SpillingBuffer body) {
        super(request);
        this.body = body;
    }

    @Override
    public long getContentLengthLong() {
        return body.size();
    }

    @Override
    public int getContentLength() {
        return body.size() > Integer.MAX_VALUE ? -1 : (int) body.size();
    }

    @Override
    public synchronized ServletInputStream getInputStream() throws IOException {
        if (stream == null) {
            stream = new StoredStream(body.open());
        }
        return stream;
    }

    @Override
    public String getHeader(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        if (key.equals("content-length")) {
            return Long.toString(body.size());
        }
        return HIDDEN.contains(key) ? null : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        String value = getHeader(name);
        String key = name.toLowerCase(Locale.ROOT);
        if (HIDDEN.contains(key)) {
            return value == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(value));
        }
        return super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        List<String> names = new ArrayList<>();
        for (Enumeration<String> e = super.getHeaderNames(); e.hasMoreElements(); ) {
            String name = e.nextElement();
            if (!HIDDEN.contains(name.toLowerCase(Locale.ROOT))) {
                names.add(name);
            }
        }
        names.add("Content-Length");
        return Collections.enumeration(names);
    }

    /** The stored body through the blocking and the non-blocking API alike; always ready. */
    private static final class StoredStream extends ServletInputStream {
        private final InputStream in;
        private ReadListener listener;
        private boolean finished;
        private boolean allDataReadSent;

        StoredStream(InputStream in) {
            this.in = in;
        }

        @Override
        public boolean isFinished() {
            return finished;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        /** Everything is there: the listener hears so at once, and onAllDataRead once a read returned -1. */
        @Override
        public void setReadListener(ReadListener readListener) {
            this.listener = readListener;
            try {
                readListener.onDataAvailable();
            } catch (IOException e) {
                readListener.onError(e);
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            int n = finished ? -1 : in.read(buffer, offset, length);
            if (n < 0) {
                finished = true;
                in.close();
                if (listener != null && !allDataReadSent) {
                    allDataReadSent = true;
                    try {
                        listener.onAllDataRead();
                    } catch (IOException e) {
                        listener.onError(e);
                    }
                }
            }
            return n;
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
