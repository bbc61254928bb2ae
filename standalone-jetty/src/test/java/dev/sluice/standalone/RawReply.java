package dev.sluice.standalone;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What a client saw of one HTTP/1.1 exchange over a raw socket, read until the server closed:
 * the status (-1 if no head arrived), the head, the body bytes that came (as ISO-8859-1 text), and how the connection
 * ended. Unlike a polite client it reports a truncated body as it is.
 */
record RawReply(int status, String head, String body, Ending ending) {
    enum Ending { CLOSED, RESET, TIMED_OUT }

    /** Sends {@code GET path} (or another method) with {@code Connection: close} and reads the answer. */
    static RawReply send(int port, String method, String path, long bodyLength, int timeoutMillis) throws IOException {
        String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + (bodyLength >= 0 ? "Content-Length: " + bodyLength + "\r\n" : "") + "Connection: close\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread writer = null;
            if (bodyLength > 0) {
                // The body goes on its own thread: a proxy may answer (and close) before it is all sent.
                writer = new Thread(() -> {
                    byte[] chunk = new byte[64 * 1024];
                    try {
                        for (long left = bodyLength; left > 0; left -= chunk.length) {
                            out.write(chunk, 0, (int) Math.min(chunk.length, left));
                        }
                        out.flush();
                    } catch (IOException e) {
                        // the proxy answered and closed before the upload was done
                    }
                }, "raw-reply-upload");
                writer.setDaemon(true);
                writer.start();
            }
            try {
                return read(socket.getInputStream());
            } finally {
                socket.close();
                if (writer != null) {
                    writer.join(5000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static RawReply read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        Ending ending;
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, n);
            }
            ending = Ending.CLOSED;
        } catch (SocketTimeoutException e) {
            ending = Ending.TIMED_OUT;
        } catch (SocketException e) {
            ending = Ending.RESET;
        }
        String text = all.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return new RawReply(-1, text, "", ending);
        }
        String head = text.substring(0, end);
        int status = Integer.parseInt(head.split(" ", 3)[1]);
        return new RawReply(status, head, text.substring(end + 4), ending);
    }

    /** The value of header {@code name} in the head, or null. */
    String header(String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** True if the body is shorter than its Content-Length says: the client can tell it was cut. */
    boolean truncated() {
        String length = header("Content-Length");
        if (length != null) {
            return body.length() < Long.parseLong(length);
        }
        return "chunked".equals(String.valueOf(header("Transfer-Encoding")).toLowerCase(Locale.ROOT)) && !body.endsWith("0\r\n\r\n");
    }
}
