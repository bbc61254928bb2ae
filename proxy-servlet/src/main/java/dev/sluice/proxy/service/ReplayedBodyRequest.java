package dev.sluice.proxy.service;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;

/**
 * A request whose body was already read (to copy it to mirrors): the body is served again from
 * memory, through the blocking and the non-blocking API alike, and {@code Expect: 100-continue}
 * is hidden because the client got its 100 when the body was read.
 */
final class ReplayedBodyRequest extends HttpServletRequestWrapper {
    private final ReplayStream stream;

    ReplayedBodyRequest(HttpServletRequest request, byte[] body) {
        super(request);
        this.stream = new ReplayStream(body);
    }

    @Override
    public ServletInputStream getInputStream() {
        return stream;
    }

    @Override
    public String getHeader(String name) {
        return "expect".equalsIgnoreCase(name) ? null : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        return "expect".equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                .filter(n -> !"expect".equalsIgnoreCase(n)).toList());
    }

    private static final class ReplayStream extends ServletInputStream {
        private final byte[] body;
        private int position;

        ReplayStream(byte[] body) {
            this.body = body;
        }

        @Override
        public boolean isFinished() {
            return position >= body.length;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        /** All data is there: the listener hears so at once, on the calling thread. */
        @Override
        public void setReadListener(ReadListener listener) {
            try {
                if (!isFinished()) {
                    listener.onDataAvailable();
                }
                listener.onAllDataRead();
            } catch (IOException e) {
                listener.onError(e);
            }
        }

        @Override
        public int read() {
            return isFinished() ? -1 : body[position++] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (isFinished()) {
                return -1;
            }
            int n = Math.min(length, body.length - position);
            System.arraycopy(body, position, buffer, offset, n);
            position += n;
            return n;
        }
    }
}
