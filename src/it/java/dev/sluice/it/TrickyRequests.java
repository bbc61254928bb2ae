package dev.sluice.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tricky request heads of the WAR's table ({@code WarContract.trickyRequests}): what a client may
 * send, over a raw socket, and what it got: the status and, when the request reached a backend, its
 * echo's "backend path?query".
 */
final class TrickyRequests {
    private TrickyRequests() {}

    /** Label → request head (a Host is added unless the head has one or says NoHost). */
    static Map<String, String> rows() {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("plain", "GET /x HTTP/1.1");
        rows.put("encoded slash", "GET /a%2Fb HTTP/1.1");
        rows.put("encoded percent", "GET /a%25b HTTP/1.1");
        rows.put("encoded NUL", "GET /a%00b HTTP/1.1");
        rows.put("encoded backslash", "GET /a%5Cb HTTP/1.1");
        rows.put("path parameters", "GET /a;jsessionid=1/b;v=2 HTTP/1.1");
        rows.put("double slash", "GET //a//b HTTP/1.1");
        rows.put("dot segments", "GET /p/../q HTTP/1.1");
        rows.put("encoded dot segments", "GET /p/%2e%2e/q HTTP/1.1");
        rows.put("above the root", "GET /../x HTTP/1.1");
        rows.put("unicode, encoded", "GET /caf%C3%A9 HTTP/1.1");
        rows.put("long path", "GET /" + "a".repeat(7_000) + " HTTP/1.1");
        rows.put("huge path", "GET /" + "b".repeat(20_000) + " HTTP/1.1");
        rows.put("absolute-form", "GET http://other.example/abs?q=1 HTTP/1.1");
        rows.put("OPTIONS *", "OPTIONS * HTTP/1.1");
        rows.put("CONNECT", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443");
        rows.put("underscore header", "GET /u HTTP/1.1\r\nX_Under_Score: 1");
        rows.put("Expect 100-continue", "GET /e HTTP/1.1\r\nExpect: 100-continue");
        rows.put("unknown Expect", "GET /e HTTP/1.1\r\nExpect: teapot");
        rows.put("HTTP/1.1 without Host", "GET /x HTTP/1.1\r\nNoHost: 1");
        rows.put("two Hosts", "GET /x HTTP/1.1\r\nHost: a\r\nHost: b");
        return rows;
    }

    /** Sends {@code head} to {@code port}; returns "STATUS" or "STATUS backend path[?query]". */
    static String exchange(int port, String head) throws IOException {
        StringBuilder request = new StringBuilder(head).append("\r\n");
        if (!head.contains("\r\nHost:") && !head.contains("NoHost")) {
            request.append("Host: 127.0.0.1:").append(port).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(all);
            } catch (java.net.SocketTimeoutException stalled) {
                return "timeout";
            } catch (java.net.SocketException reset) {
                if (all.size() == 0) {
                    return "reset";
                }
            }
            String text = all.toString(StandardCharsets.ISO_8859_1);
            if (text.length() < 12) {
                return "closed";
            }
            String status = text.substring(9, 12);
            String backend = field(text, "backend");
            if (backend == null) {
                return status;
            }
            String query = field(text, "query");
            return status + " " + backend + " " + field(text, "path") + (query == null || query.isEmpty() ? "" : "?" + query);
        }
    }

    private static String field(String text, String name) {
        int at = text.indexOf("\n" + name + ": ");
        if (at < 0) {
            return null;
        }
        int start = at + name.length() + 3;
        int end = text.indexOf('\n', start);
        return text.substring(start, end < 0 ? text.length() : end);
    }
}
