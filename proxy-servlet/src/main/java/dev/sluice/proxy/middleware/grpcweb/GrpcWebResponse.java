package dev.sluice.proxy.middleware.grpcweb;

import dev.sluice.proxy.middleware.OutputStreamWrapper;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC answer, written as gRPC-Web: its content type turned into gRPC-Web's, no
 * {@code Content-Length} (a frame is added), messages passed as they come (each write base64-encoded
 * on its own in text mode, padding included, which the protocol allows), and, before the response
 * completes, the trailers the proxy would have sent as HTTP trailers written as the last frame:
 * flag {@code 0x80}, a 4-byte length, then {@code name: value\r\n} lines with lower-case names.
 * An answer that is no gRPC (an error page of Sluice's own) passes untouched.
 *
 * <p>Non-blocking writes: each write of the proxy is one write on the container's stream, so its
 * {@code isReady()} stays true to the proxy. The trailer frame is written when the stream is ready
 * (at once, normally: the proxy completes after its last write was accepted), else from the
 * container's {@code onWritePossible}, and the response completes only after it.
 */
final class GrpcWebResponse extends HttpServletResponseWrapper {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcWebResponse.class);
    private static final byte TRAILER_FLAG = (byte) 0x80;

    private final GrpcWebMode mode;
    private volatile boolean translating;
    private volatile Supplier<Map<String, String>> trailers;
    private Output output;

    GrpcWebResponse(HttpServletResponse response, GrpcWebMode mode) {
        super(response);
        this.mode = mode;
    }

    @Override
    public void setContentType(String type) {
        super.setContentType(web(type));
    }

    @Override
    public void setHeader(String name, String value) {
        if (name.equalsIgnoreCase("Content-Type")) {
            super.setHeader(name, web(value));
        } else if (!name.equalsIgnoreCase("Content-Length")) {
            super.setHeader(name, value);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if (name.equalsIgnoreCase("Content-Type")) {
            super.setHeader(name, web(value));
        } else if (!name.equalsIgnoreCase("Content-Length")) {
            super.addHeader(name, value);
        }
    }

    @Override
    public void setContentLength(int length) {
        if (!translating) {
            super.setContentLength(length);
        }
    }

    @Override
    public void setContentLengthLong(long length) {
        if (!translating) {
            super.setContentLengthLong(length);
        }
    }

    /** Kept for the trailer frame: a browser's HTTP/1.1 or h2 stack would not hand HTTP trailers to gRPC-Web. */
    @Override
    public void setTrailerFields(Supplier<Map<String, String>> supplier) {
        this.trailers = supplier;
    }

    @Override
    public Supplier<Map<String, String>> getTrailerFields() {
        return trailers;
    }

    /** The gRPC-Web type for a gRPC one (and from then on this response is translated); other types as they are. */
    private String web(String type) {
        String web = mode.toWeb(type);
        if (web == null) {
            return type;
        }
        translating = true;
        return web;
    }

    @Override
    public synchronized ServletOutputStream getOutputStream() throws IOException {
        if (output == null) {
            output = new Output(super.getOutputStream());
        }
        return output;
    }

    /** Writes the trailer frame, if there are trailers, then runs {@code complete}. */
    void beforeComplete(Runnable complete) {
        Map<String, String> fields = trailers == null ? null : trailers.get();
        if (!translating || fields == null || fields.isEmpty()) {
            complete.run();
            return;
        }
        try {
            byte[] frame = frame(fields);
            Output out = (Output) getOutputStream();
            if (out.writeLast(mode == GrpcWebMode.TEXT ? Base64.getEncoder().encode(frame) : frame, complete)) {
                complete.run();
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("gRPC-Web trailer frame not written: {}", e.toString());
            complete.run();
        }
    }

    static byte[] frame(Map<String, String> fields) {
        StringBuilder text = new StringBuilder();
        fields.forEach((name, value) -> text.append(name.toLowerCase(Locale.ROOT)).append(": ").append(value).append("\r\n"));
        byte[] block = text.toString().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(5 + block.length).put(TRAILER_FLAG).putInt(block.length).put(block).array();
    }

    /** The container's stream with text mode's encoding, and room for the trailer frame after the proxy's last write. */
    private final class Output extends OutputStreamWrapper {
        private WriteListener listener;
        private byte[] pendingFrame;
        private Runnable pendingComplete;

        Output(ServletOutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (translating && mode == GrpcWebMode.TEXT) {
                ByteBuffer encoded = Base64.getEncoder().encode(ByteBuffer.wrap(b, off, len));
                out.write(encoded.array(), encoded.arrayOffset(), encoded.remaining());
            } else {
                out.write(b, off, len);
            }
        }

        @Override
        public synchronized void setWriteListener(WriteListener writeListener) {
            this.listener = writeListener;
            out.setWriteListener(new Relay());
        }

        /** Writes the frame now if the stream allows; true if the response may complete at once. */
        synchronized boolean writeLast(byte[] frame, Runnable complete) throws IOException {
            if (listener == null) {
                out.write(frame); // blocking mode: the proxy never wrote a body (an answer without messages)
                return true;
            }
            if (!out.isReady()) {
                pendingFrame = frame;
                pendingComplete = complete;
                return false;
            }
            out.write(frame);
            if (out.isReady()) {
                return true;
            }
            pendingComplete = complete;
            return false;
        }

        /** The container's listener: the trailer frame and the completion first, the proxy's writer otherwise. */
        private final class Relay implements WriteListener {
            @Override
            public void onWritePossible() throws IOException {
                Runnable complete;
                synchronized (Output.this) {
                    if (pendingFrame != null) {
                        byte[] frame = pendingFrame;
                        pendingFrame = null;
                        out.write(frame);
                        if (!out.isReady()) {
                            return;
                        }
                    }
                    complete = pendingComplete;
                    pendingComplete = null;
                }
                if (complete != null) {
                    complete.run();
                } else {
                    listener.onWritePossible();
                }
            }

            @Override
            public void onError(Throwable failure) {
                Runnable complete;
                synchronized (Output.this) {
                    complete = pendingComplete;
                    pendingComplete = null;
                    pendingFrame = null;
                }
                if (complete != null) {
                    complete.run();
                }
                listener.onError(failure);
            }
        }
    }
}
