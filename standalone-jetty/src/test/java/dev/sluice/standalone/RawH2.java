package dev.sluice.standalone;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/2 by prior knowledge over a raw socket, frame by frame, for what a polite client (Jetty's
 * HTTP2Client, h2load) never sends: floods of RST_STREAM, CONTINUATION, SETTINGS and PING, HPACK
 * blocks that decode to far more than they weigh. Headers are encoded by hand (RFC 7541: static
 * table indexes, literals without Huffman), so what goes on the wire is exactly what the test says.
 */
final class RawH2 implements AutoCloseable {
    static final int DATA = 0x0, HEADERS = 0x1, RST_STREAM = 0x3, SETTINGS = 0x4, PING = 0x6, GOAWAY = 0x7, CONTINUATION = 0x9;
    static final int END_STREAM = 0x1, ACK = 0x1, END_HEADERS = 0x4;

    /** One frame received. */
    record Frame(int type, int flags, int stream, byte[] payload) {
        /** The error code of a GOAWAY or RST_STREAM. */
        int errorCode() {
            int at = type == GOAWAY ? 4 : 0;
            return ((payload[at] & 0xff) << 24) | ((payload[at + 1] & 0xff) << 16) | ((payload[at + 2] & 0xff) << 8) | (payload[at + 3] & 0xff);
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    /** The last {@link #read} returned null because the server said nothing for 5 s, not because it closed. */
    boolean timedOut;

    RawH2(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(5000);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
        out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        frame(SETTINGS, 0, 0, new byte[0]);
    }

    /** Writes one frame; false once the server has closed (the write failed). */
    boolean frame(int type, int flags, int stream, byte[] payload) {
        byte[] head = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length, (byte) type, (byte) flags,
                (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream};
        try {
            out.write(head);
            out.write(payload);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The next frame, or null when the server closed or said nothing for the socket timeout. */
    Frame read() throws IOException {
        try {
            byte[] head = new byte[9];
            in.readFully(head);
            int length = ((head[0] & 0xff) << 16) | ((head[1] & 0xff) << 8) | (head[2] & 0xff);
            byte[] payload = new byte[length];
            in.readFully(payload);
            int stream = ((head[5] & 0x7f) << 24) | ((head[6] & 0xff) << 16) | ((head[7] & 0xff) << 8) | (head[8] & 0xff);
            return new Frame(head[3] & 0xff, head[4] & 0xff, stream, payload);
        } catch (SocketTimeoutException e) {
            timedOut = true;
            return null;
        } catch (EOFException e) {
            return null;
        } catch (IOException e) {
            return null; // reset by the server
        }
    }

    /** A GET request's header block: {@code :method GET}, {@code :scheme http}, {@code :path path}, {@code :authority x}. */
    static byte[] get(String path) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.write(0x82); // :method GET (static 2)
        block.write(0x86); // :scheme http (static 6)
        literal(block, 0x00, 4, null, path); // :path, name static 4, not indexed
        literal(block, 0x00, 1, null, "x"); // :authority, name static 1
        return block.toByteArray();
    }

    /**
     * A literal field: {@code prefix} is 0x00 (without indexing, 4-bit name index) or 0x40 (with
     * incremental indexing, 6-bit); {@code nameIndex} 0 means a new name, given in {@code name}.
     */
    static void literal(ByteArrayOutputStream block, int prefix, int nameIndex, String name, String value) {
        integer(block, prefix, prefix == 0x40 ? 6 : 4, nameIndex);
        if (nameIndex == 0) {
            string(block, name);
        }
        string(block, value);
    }

    /** An indexed field (RFC 7541 6.1): one byte for indexes below 127. */
    static void indexed(ByteArrayOutputStream block, int index) {
        integer(block, 0x80, 7, index);
    }

    static void string(ByteArrayOutputStream block, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        integer(block, 0x00, 7, bytes.length);
        block.writeBytes(bytes);
    }

    /** An HPACK integer (RFC 7541 5.1) with {@code prefixBits} bits in the first byte, after {@code first}'s flags. */
    static void integer(ByteArrayOutputStream block, int first, int prefixBits, int value) {
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            block.write(first | value);
            return;
        }
        block.write(first | max);
        value -= max;
        while (value >= 128) {
            block.write((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        block.write(value);
    }

    static byte[] errorCode(int code) {
        return new byte[] {(byte) (code >>> 24), (byte) (code >>> 16), (byte) (code >>> 8), (byte) code};
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
