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
public final class ReplayedBodyRequest extends HttpServletRequestWrapper {
    private final ReplayStream stream;

    public ReplayedBodyRequest(HttpServletRequest request, byte[] body) {
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
        private ReadListener listener;
        private boolean allDataReadSent;

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

        /**
         * All data is there: the listener hears so at once, on the calling thread. It hears
         * {@code onAllDataRead} only once it has read the end (a read returned -1), as from a
         * container: a reader such as the proxy's may still be forwarding the chunk it read last,
         * and ends its upstream body on {@code onAllDataRead}.
         */
        @Override
        public void setReadListener(ReadListener listener) {
            this.listener = listener;
            try {
                listener.onDataAvailable();
            } catch (IOException e) {
                listener.onError(e);
            }
        }

        /** The reader saw the end of the body: tell its listener, once. */
        private int end() {
            if (listener != null && !allDataReadSent) {
                allDataReadSent = true;
                try {
                    listener.onAllDataRead();
                } catch (IOException e) {
                    listener.onError(e);
                }
            }
            return -1;
        }

        @Override
        public int read() {
            return isFinished() ? end() : body[position++] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (isFinished()) {
                return end();
            }
            int n = Math.min(length, body.length - position);
            System.arraycopy(body, position, buffer, offset, n);
            position += n;
            return n;
        }
    }
}
