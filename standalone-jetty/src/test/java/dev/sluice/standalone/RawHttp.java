package dev.sluice.standalone;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One HTTP/1.1 exchange over a raw socket, for what the JDK client will not send (a chosen Host)
 * or hides (the exact header lines of a preflight answer). Sends {@code Connection: close} and
 * reads until the server closes.
 */
record RawHttp(int status, List<String> headerLines, String body) {

    static RawHttp exchange(int port, String method, String path, String... headerLines) throws IOException {
        StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        boolean hasHost = false;
        for (String line : headerLines) {
            request.append(line).append("\r\n");
            hasHost |= line.toLowerCase(Locale.ROOT).startsWith("host:");
        }
        if (!hasHost) {
            request.append("Host: 127.0.0.1:").append(port).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            return parse(socket.getInputStream());
        }
    }

    private static RawHttp parse(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        String text = all.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        List<String> headers = new ArrayList<>(List.of(lines).subList(1, lines.length));
        return new RawHttp(status, headers, text.substring(end + 4));
    }

    /** Every value of {@code name} (one per header line), in order. */
    List<String> values(String name) {
        List<String> values = new ArrayList<>();
        for (String line : headerLines) {
            int colon = line.indexOf(':');
            if (line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                values.add(line.substring(colon + 1).trim());
            }
        }
        return values;
    }

    /** The only value of {@code name}, or null if it is absent. */
    String header(String name) {
        List<String> values = values(name);
        if (values.size() > 1) {
            throw new AssertionError(name + " sent " + values.size() + " times: " + headerLines);
        }
        return values.isEmpty() ? null : values.get(0);
    }
}
