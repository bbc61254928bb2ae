package dev.sluice.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Raw bytes to a server and what came back, for hostile HTTP/1 input: the client writes its bytes,
 * half-closes if asked (so a server that waits for more learns there is none) and reads until the
 * server closes, at most {@code timeoutMillis}. Used by the hostile-input tests of the jar (HostileRequestTest) and of the WAR (WarContract).
 *
 * @param statuses the status of every response in the bytes read, in order
 * @param closed the server closed the connection (EOF or reset) within the time
 * @param text everything read, ISO-8859-1
 */
public record HostileWire(List<Integer> statuses, boolean closed, String text) {
    private static final Pattern STATUS_LINE = Pattern.compile("(?m)^HTTP/1\\.[01] (\\d{3}) ");

    public static HostileWire send(int port, String request, boolean halfClose, int timeoutMillis) throws IOException {
        return send(port, request.getBytes(StandardCharsets.ISO_8859_1), halfClose, timeoutMillis);
    }

    /**
     * @param halfClose shut the sending side after the bytes: for requests a server may accept and
     *     then keep the connection open for more; without it, {@link #closed} says the server closed on its own
     */
    public static HostileWire send(int port, byte[] request, boolean halfClose, int timeoutMillis) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        boolean closed;
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(timeoutMillis);
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
                if (halfClose) {
                    socket.shutdownOutput();
                }
            } catch (IOException e) {
                // The server may answer and close before taking everything (a huge head): read what it said.
            }
            closed = readUntilClosed(socket.getInputStream(), all);
        }
        String text = all.toString(StandardCharsets.ISO_8859_1);
        List<Integer> statuses = new ArrayList<>();
        Matcher m = STATUS_LINE.matcher(text);
        while (m.find()) {
            statuses.add(Integer.parseInt(m.group(1)));
        }
        return new HostileWire(statuses, closed, text);
    }

    private static boolean readUntilClosed(InputStream in, ByteArrayOutputStream into) throws IOException {
        byte[] buffer = new byte[8192];
        try {
            for (int r; (r = in.read(buffer)) >= 0; ) {
                into.write(buffer, 0, r);
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset: closed too, if not gracefully
        }
    }

    /** The first status, or 0 when the server closed without a response. */
    public int first() {
        return statuses.isEmpty() ? 0 : statuses.get(0);
    }

    @Override
    public String toString() {
        String head = text.length() > 300 ? text.substring(0, 300) + "…" : text;
        return "statuses=" + statuses + " closed=" + closed + " text=" + head.replace("\r\n", "⏎");
    }
}
