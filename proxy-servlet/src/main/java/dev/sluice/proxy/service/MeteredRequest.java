package dev.sluice.proxy.service;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;

/**
 * A request whose body bytes are counted as they are read: only for a body of unknown length
 * (chunked, or HTTP/2 without {@code Content-Length}); a declared length is taken as it is.
 */
final class MeteredRequest extends HttpServletRequestWrapper {
    private final Exchange exchange;
    private ServletInputStream input;

    MeteredRequest(HttpServletRequest request, Exchange exchange) {
        super(request);
        this.exchange = exchange;
    }

    /** True when the body's length is not declared and there may be one. */
    static boolean needed(HttpServletRequest request, long contentLength) {
        if (contentLength >= 0) {
            return false;
        }
        return request.getHeader("Transfer-Encoding") != null || !request.getProtocol().startsWith("HTTP/1");
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        if (input == null) {
            input = new Counting(super.getInputStream());
        }
        return input;
    }

    private final class Counting extends ServletInputStream {
        private final ServletInputStream delegate;

        Counting(ServletInputStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public int read() throws IOException {
            int b = delegate.read();
            if (b >= 0) {
                exchange.countIn(1);
            }
            return b;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            int n = delegate.read(bytes, offset, length);
            if (n > 0) {
                exchange.countIn(n);
            }
            return n;
        }

        @Override
        public boolean isFinished() {
            return delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            delegate.setReadListener(listener);
        }

        @Override
        public int available() throws IOException {
            return delegate.available();
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }
}
