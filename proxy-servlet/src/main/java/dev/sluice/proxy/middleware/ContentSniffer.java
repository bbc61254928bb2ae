package dev.sluice.proxy.middleware;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Guesses a body's Content-Type from its first bytes, as Go's {@code http.DetectContentType}
 * (the WHATWG sniffing algorithm) does for the common signatures: HTML, XML, PDF, PostScript,
 * byte-order marks, images, archives, WebAssembly; then text or binary. Compress uses it for
 * responses that come without a type, as Traefik's gzip handler does.
 */
final class ContentSniffer {
    private static final int LIMIT = 512;
    private static final List<String> HTML_TAGS = List.of("<!DOCTYPE HTML", "<HTML", "<HEAD", "<SCRIPT", "<IFRAME", "<H1", "<DIV",
            "<FONT", "<TABLE", "<A", "<STYLE", "<TITLE", "<B", "<BODY", "<BR", "<P", "<!--");

    private record Magic(byte[] prefix, String type) {
        Magic(String prefix, String type) {
            this(prefix.getBytes(StandardCharsets.ISO_8859_1), type);
        }
    }

    private static final List<Magic> MAGIC = List.of(
            new Magic("%PDF-", "application/pdf"),
            new Magic("%!PS-Adobe-", "application/postscript"),
            new Magic("\u00FE\u00FF", "text/plain; charset=utf-16be"),
            new Magic("\u00FF\u00FE", "text/plain; charset=utf-16le"),
            new Magic("\u00EF\u00BB\u00BF", "text/plain; charset=utf-8"),
            new Magic("\u0000\u0000\u0001\u0000", "image/x-icon"),
            new Magic("BM", "image/bmp"),
            new Magic("GIF87a", "image/gif"),
            new Magic("GIF89a", "image/gif"),
            new Magic("\u0089PNG\r\n\u001A\n", "image/png"),
            new Magic("\u00FF\u00D8\u00FF", "image/jpeg"),
            new Magic("OggS\u0000", "application/ogg"),
            new Magic("\u001F\u008B\u0008", "application/x-gzip"),
            new Magic("PK\u0003\u0004", "application/zip"),
            new Magic("Rar!\u001A\u0007\u0000", "application/x-rar-compressed"),
            new Magic("Rar!\u001A\u0007\u0001\u0000", "application/x-rar-compressed"),
            new Magic("\u0000asm", "application/wasm"));

    private ContentSniffer() {}

    static String sniff(ByteBuffer body) {
        byte[] data = new byte[Math.min(LIMIT, body.remaining())];
        body.duplicate().get(data);
        int start = 0;
        while (start < data.length && " \t\n\r\f".indexOf(data[start]) >= 0) {
            start++;
        }
        for (String tag : HTML_TAGS) {
            if (startsWithIgnoreCase(data, start, tag)) {
                int after = start + tag.length();
                if (after < data.length && (data[after] == ' ' || data[after] == '>')) {
                    return "text/html; charset=utf-8";
                }
            }
        }
        if (startsWithIgnoreCase(data, start, "<?XML")) {
            return "text/xml; charset=utf-8";
        }
        for (Magic magic : MAGIC) {
            if (startsWith(data, magic.prefix)) {
                return magic.type;
            }
        }
        if (data.length >= 14 && startsWith(data, "RIFF".getBytes(StandardCharsets.ISO_8859_1))
                && new String(data, 8, 6, StandardCharsets.ISO_8859_1).equals("WEBPVP")) {
            return "image/webp";
        }
        for (byte b : data) {
            if ((b >= 0 && b <= 0x08) || b == 0x0B || (b >= 0x0E && b <= 0x1A) || (b >= 0x1C && b <= 0x1F)) {
                return "application/octet-stream";
            }
        }
        return "text/plain; charset=utf-8";
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        if (data.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWithIgnoreCase(byte[] data, int from, String text) {
        if (data.length - from < text.length()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.toUpperCase((char) (data[from + i] & 0xFF)) != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
