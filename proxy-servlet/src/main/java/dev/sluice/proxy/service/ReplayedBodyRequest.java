package dev.sluice.proxy.service;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;

/**
 * A request whose body was already read, in whole or in part (to copy it to mirrors, to replay it):
 * what was read is served again from memory, then the rest of the original stream if there is one,
 * through the blocking and the non-blocking API alike. {@code Expect: 100-continue} is hidden
 * because the client got its 100 when the body was read.
 */
public final class ReplayedBodyRequest extends HttpServletRequestWrapper {
    private final ReplayStream stream;

    public ReplayedBodyRequest(HttpServletRequest request, byte[] body) {
        this(request, body, null);
    }

    /** {@code head} is the start of the body, {@code rest} the original stream holding the remainder. */
    ReplayedBodyRequest(HttpServletRequest request, byte[] head, ServletInputStream rest) {
        super(request);
        this.stream = new ReplayStream(head, rest);
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
        private final ServletInputStream rest;
        private int position;
        private ReadListener listener;
        private boolean allDataReadSent;
        private boolean restListening;

        ReplayStream(byte[] body, ServletInputStream rest) {
            this.body = body;
            this.rest = rest;
        }

        private boolean headDone() {
            return position >= body.length;
        }

        @Override
        public boolean isFinished() {
            return headDone() && (rest == null || rest.isFinished());
        }

        @Override
        public boolean isReady() {
            if (!headDone() || rest == null) {
                return true;
            }
            if (listener != null && !restListening) {
                // The head is used up: from now on the container tells the listener about the rest.
                // Registering only now keeps it from calling the listener while the head is being read.
                restListening = true;
                rest.setReadListener(new Forwarder());
            }
            return rest.isReady();
        }

        /**
         * The head is there: the listener hears so at once, on the calling thread. Without a rest it
         * hears {@code onAllDataRead} only once it has read the end (a read returned -1), as from a
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

        /** The reader saw the end of a body held in memory: tell its listener, once. */
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
        public int read() throws IOException {
            if (!headDone()) {
                return body[position++] & 0xFF;
            }
            return rest == null ? end() : rest.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (headDone()) {
                return rest == null ? end() : rest.read(buffer, offset, length);
            }
            int n = Math.min(length, body.length - position);
            System.arraycopy(body, position, buffer, offset, n);
            position += n;
            return n;
        }

        /** Passes the container's calls about the rest of the body on to the reader's listener. */
        private final class Forwarder implements ReadListener {
            @Override
            public void onDataAvailable() throws IOException {
                listener.onDataAvailable();
            }

            @Override
            public void onAllDataRead() throws IOException {
                listener.onAllDataRead();
            }

            @Override
            public void onError(Throwable failure) {
                listener.onError(failure);
            }
        }
    }
}
