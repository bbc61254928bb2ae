package dev.sluice.proxy.testing;

import java.util.Set;
import java.util.stream.Stream;

/**
 * Request smuggling attempts over HTTP/1, one row each, for the jar (HostileRequestTest) and the WAR
 * in Tomcat and Jetty (WarContract): CL+TE, TE+CL, duplicate and malformed Content-Length, obfuscated
 * Transfer-Encoding, bare LF and CR, obs-fold, bad chunk sizes and extensions. Every row but one hides
 * a {@code GET /smuggled} behind its first request, which no backend may ever receive.
 */
public final class SmugglingRows {
    /** What a row expects: one of {@code statuses} as the first answer (0: closed without one), the connection closed after it. */
    public record Row(String name, String request, Set<Integer> statuses, boolean mustClose) {
        @Override
        public String toString() {
            return name;
        }
    }

    public static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";

    private SmugglingRows() {}

    public static Stream<Row> rows() {
        String post = "POST /first HTTP/1.1\r\nHost: x\r\n";
        return Stream.of(
                new Row("CL+TE", post + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("TE+CL", post + "Transfer-Encoding: chunked\r\nContent-Length: 6\r\n\r\n0\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("duplicate Content-Length, different", post + "Content-Length: 0\r\nContent-Length: 41\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("duplicate Content-Length, same", post + "Content-Length: 0\r\nContent-Length: 0\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("Content-Length list", post + "Content-Length: 0, 41\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("Content-Length +0", post + "Content-Length: +0\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("Content-Length hex", post + "Content-Length: 0x0\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("TE 'chunked ' + CL", post + "Transfer-Encoding: chunked \r\nContent-Length: 6\r\n\r\n0\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("TE xchunked + CL", post + "Transfer-Encoding: xchunked\r\nContent-Length: 6\r\n\r\n0\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("TE xchunked", post + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("TE 'chunked, identity'", post + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("TE identity", post + "Transfer-Encoding: identity\r\nContent-Length: 6\r\n\r\n0\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("TE tab + CL", post + "Transfer-Encoding:\tchunked\r\nContent-Length: 6\r\n\r\n0\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("TE CHUNKED + CL", post + "Transfer-Encoding: CHUNKED\r\nContent-Length: 6\r\n\r\n0\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("TE space before colon", post + "Transfer-Encoding : chunked\r\nContent-Length: 6\r\n\r\n0\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("TE vertical tab", post + "Transfer-Encoding:\u000bchunked\r\nContent-Length: 6\r\n\r\n0\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("TE twice", post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("TE on HTTP/1.0", "POST /first HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 6\r\n\r\n0\r\n\r\n" + SMUGGLED,
                        Set.of(400), true),
                new Row("TE folded (obs-fold)", post + "Transfer-Encoding:\r\n chunked\r\nContent-Length: 6\r\n\r\n0\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("obs-fold", "GET /first HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n" + SMUGGLED, Set.of(400), true),
                // RFC 9112 2.2 lets a server take a bare LF as a line end (Jetty's RFC9110 mode, nginx and Go do);
                // Sluice does not (HttpCompliance.STRICT): a CRLF-only proxy in front would disagree on where headers end.
                new Row("bare LF line ends", "GET /first HTTP/1.1\nHost: x\n\n" + SMUGGLED, Set.of(400), true),
                new Row("bare LF inside a header", "GET /first HTTP/1.1\r\nHost: x\r\nX-A: 1\nContent-Length: 41\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("bare CR inside a header", "GET /first HTTP/1.1\r\nHost: x\r\nX-A: 1\rContent-Length: 41\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("chunk size not hex", post + "Transfer-Encoding: chunked\r\n\r\nzz\r\n\r\n0\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("chunk size negative", post + "Transfer-Encoding: chunked\r\n\r\n-1\r\n\r\n0\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("chunk size 0x prefix", post + "Transfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("chunk size overflow", post + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff1\r\nhello\r\n0\r\n\r\n" + SMUGGLED,
                        Set.of(400), true),
                new Row("chunk without CRLF after data", post + "Transfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("chunk extension (valid)", post + "Transfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n0\r\n\r\n", Set.of(200), false),
                new Row("chunk extension, bare LF", post + "Transfer-Encoding: chunked\r\n\r\n5;a\nb\r\nhello\r\n0\r\n\r\n" + SMUGGLED, Set.of(400), true),
                new Row("chunk extension 64 KiB", post + "Transfer-Encoding: chunked\r\n\r\n5;" + "x".repeat(65536) + "\r\nhello\r\n0\r\n\r\n" + SMUGGLED,
                        Set.of(400), true));
    }

}
