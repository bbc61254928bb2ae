package dev.sluice.proxy.middleware.grpcweb;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;

/**
 * A request body in base64 (gRPC-Web text mode), decoded as it is read, in blocking and non-blocking
 * mode. Written by hand because the JDK's decoders refuse padding before the end, and gRPC-Web
 * clients may pad each message they send: every 4-character quantum is decoded on its own here.
 * Line breaks and spaces are skipped; any other character outside the alphabet fails the read.
 */
final class Base64Input extends ServletInputStream {
    private static final byte[] VALUES = new byte[128];

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUES[alphabet.charAt(i)] = (byte) i;
        }
        VALUES['-'] = 62; // the URL-safe alphabet too
        VALUES['_'] = 63;
    }

    private final ServletInputStream in;
    private final byte[] raw = new byte[8192];
    /** Decoded bytes not read yet: {@code decoded[start, end)}; at most 3/4 of what one raw read gives. */
    private final byte[] decoded = new byte[raw.length];
    private int start;
    private int end;
    /** The quantum in progress: its characters' values and how many there are (a '=' counts, as -2). */
    private final int[] quantum = new int[4];
    private int filled;
    private boolean eof;
    private boolean nonBlocking;

    Base64Input(ServletInputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n;
        while ((n = read(one, 0, 1)) == 0) {
            if (!isReady()) {
                throw new IllegalStateException("read() when not ready");
            }
        }
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        while (start == end) {
            if (eof) {
                return -1;
            }
            if (nonBlocking && !in.isReady()) {
                return 0; // what came so far held no whole quantum; the container calls onDataAvailable again
            }
            int n = in.read(raw, 0, raw.length);
            if (n < 0) {
                eof = true;
                if (filled != 0) {
                    throw new IOException("gRPC-Web text body: base64 cut off inside a quantum");
                }
                return -1;
            }
            decode(n);
        }
        int count = Math.min(len, end - start);
        System.arraycopy(decoded, start, b, off, count);
        start += count;
        return count;
    }

    private void decode(int n) throws IOException {
        start = 0;
        end = 0;
        for (int i = 0; i < n; i++) {
            int c = raw[i] & 0xFF;
            if (c == '\r' || c == '\n' || c == ' ' || c == '\t') {
                continue;
            }
            int value = c == '=' ? -2 : c < 128 ? VALUES[c] : -1;
            if (value == -1 || (value >= 0 && filled > 0 && quantum[filled - 1] == -2) || (value == -2 && filled < 2)) {
                throw new IOException("gRPC-Web text body: not base64 at '" + (char) c + "'");
            }
            quantum[filled++] = value;
            if (filled == 4) {
                emit();
                filled = 0;
            }
        }
    }

    /** One quantum: 3 bytes, or 2 ({@code xyz=}) or 1 ({@code xy==}). */
    private void emit() {
        int bits = (quantum[0] << 18) | (quantum[1] << 12) | (Math.max(quantum[2], 0) << 6) | Math.max(quantum[3], 0);
        decoded[end++] = (byte) (bits >> 16);
        if (quantum[2] != -2) {
            decoded[end++] = (byte) (bits >> 8);
        }
        if (quantum[3] != -2) {
            decoded[end++] = (byte) bits;
        }
    }

    @Override
    public boolean isFinished() {
        return start == end && (eof || in.isFinished());
    }

    @Override
    public boolean isReady() {
        return start < end || eof || in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
        nonBlocking = true;
        in.setReadListener(listener);
    }
}
