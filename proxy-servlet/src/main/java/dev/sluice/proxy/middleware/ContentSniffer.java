package dev.sluice.proxy.middleware;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The media type of a body from its first bytes, by the WHATWG mime-sniffing table as Go's
 * {@code http.DetectContentType} applies it (which is what Traefik's contentType middleware uses):
 * HTML tags, XML, PDF, images, audio and video containers, archives, fonts, then plain text unless
 * a control byte shows binary data. JSON has no signature there and sniffs as plain text.
 */
final class ContentSniffer {
    static final int SNIFF_LENGTH = 512;
    static final String OCTET_STREAM = "application/octet-stream";
    private static final String HTML = "text/html; charset=utf-8";

    private static final List<String> HTML_TAGS = List.of("<!DOCTYPE HTML", "<HTML", "<HEAD", "<SCRIPT", "<IFRAME", "<H1",
            "<DIV", "<FONT", "<TABLE", "<A", "<STYLE", "<TITLE", "<B", "<BODY", "<BR", "<P", "<!--");

    /** A byte pattern compared under a mask (all-ones for exact prefixes), optionally after leading whitespace. */
    private record Signature(byte[] pattern, byte[] mask, boolean skipWhitespace, String type) {
        static Signature exact(String pattern, String type) {
            byte[] bytes = pattern.getBytes(StandardCharsets.ISO_8859_1);
            byte[] mask = new byte[bytes.length];
            Arrays.fill(mask, (byte) 0xFF);
            return new Signature(bytes, mask, false, type);
        }

        static Signature masked(String pattern, String mask, String type) {
            return new Signature(pattern.getBytes(StandardCharsets.ISO_8859_1), mask.getBytes(StandardCharsets.ISO_8859_1), false, type);
        }

        boolean matches(byte[] data, int from, int to) {
            if (to - from < pattern.length) {
                return false;
            }
            for (int i = 0; i < pattern.length; i++) {
                if ((data[from + i] & mask[i] & 0xFF) != (pattern[i] & 0xFF)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final String RIFF_MASK = "\u00FF\u00FF\u00FF\u00FF\0\0\0\0\u00FF\u00FF\u00FF\u00FF";

    private static final List<Signature> SIGNATURES = List.of(
            new Signature("<?xml".getBytes(StandardCharsets.ISO_8859_1), new byte[] {-1, -1, -1, -1, -1}, true, "text/xml; charset=utf-8"),
            Signature.exact("%PDF-", "application/pdf"),
            Signature.exact("%!PS-Adobe-", "application/postscript"),
            Signature.masked("\u00FE\u00FF\0\0", "\u00FF\u00FF\0\0", "text/plain; charset=utf-16be"),
            Signature.masked("\u00FF\u00FE\0\0", "\u00FF\u00FF\0\0", "text/plain; charset=utf-16le"),
            Signature.masked("\u00EF\u00BB\u00BF\0", "\u00FF\u00FF\u00FF\0", "text/plain; charset=utf-8"),
            Signature.exact("GIF87a", "image/gif"),
            Signature.exact("GIF89a", "image/gif"),
            Signature.exact("\u0089PNG\r\n\u001A\n", "image/png"),
            Signature.exact("\u00FF\u00D8\u00FF", "image/jpeg"),
            Signature.exact("BM", "image/bmp"),
            Signature.masked("RIFF\0\0\0\0WEBPVP", RIFF_MASK + "\u00FF\u00FF", "image/webp"),
            Signature.exact("\0\0\u0001\0", "image/vnd.microsoft.icon"),
            Signature.masked("RIFF\0\0\0\0WAVE", RIFF_MASK, "audio/wave"),
            Signature.masked("FORM\0\0\0\0AIFF", RIFF_MASK, "audio/aiff"),
            Signature.exact(".snd", "audio/basic"),
            Signature.exact("OggS\0", "application/ogg"),
            Signature.exact("MThd\0\0\0\u0006", "audio/midi"),
            Signature.exact("ID3", "audio/mpeg"),
            Signature.masked("RIFF\0\0\0\0AVI ", RIFF_MASK, "video/avi"),
            Signature.exact("\u001A\u0045\u00DF\u00A3", "video/webm"),
            Signature.exact("Rar \u001A\u0007\0", "application/x-rar-compressed"),
            Signature.exact("PK\u0003\u0004", "application/zip"),
            Signature.exact("\u001F\u008B\u0008", "application/x-gzip"),
            Signature.exact("\0\u0001\0\0", "font/ttf"),
            Signature.exact("OTTO", "font/otf"),
            Signature.exact("ttcf", "font/collection"),
            Signature.exact("wOFF", "font/woff"),
            Signature.exact("wOF2", "font/woff2"),
            Signature.exact("\0asm", "application/wasm"));

    private ContentSniffer() {}

    /** The media type of a body starting with {@code length} bytes of {@code data} from {@code offset}. */
    static String detect(byte[] data, int offset, int length) {
        int end = offset + Math.min(length, SNIFF_LENGTH);
        int text = offset;
        while (text < end && isWhitespace(data[text])) {
            text++;
        }
        if (isHtml(data, text, end)) {
            return HTML;
        }
        for (Signature signature : SIGNATURES) {
            if (signature.matches(data, signature.skipWhitespace() ? text : offset, end)) {
                return signature.type();
            }
        }
        if (isMp4(data, offset, end)) {
            return "video/mp4";
        }
        return isText(data, text, end) ? "text/plain; charset=utf-8" : OCTET_STREAM;
    }

    private static boolean isWhitespace(byte b) {
        return b == '\t' || b == '\n' || b == 0x0C || b == '\r' || b == ' ';
    }

    /** A known tag, any case, followed by a space or {@code >}. */
    private static boolean isHtml(byte[] data, int from, int end) {
        for (String tag : HTML_TAGS) {
            if (end - from < tag.length() + 1) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < tag.length() && match; i++) {
                char expected = tag.charAt(i);
                int actual = data[from + i] & 0xFF;
                if (expected >= 'A' && expected <= 'Z') {
                    actual &= 0xDF;
                }
                match = actual == expected;
            }
            byte next = data[from + tag.length()];
            if (match && (next == ' ' || next == '>')) {
                return true;
            }
        }
        return false;
    }

    /** An ISO base media file whose {@code ftyp} box lists an {@code mp4} brand. */
    private static boolean isMp4(byte[] data, int from, int end) {
        if (end - from < 12) {
            return false;
        }
        long boxSize = ((data[from] & 0xFFL) << 24) | ((data[from + 1] & 0xFF) << 16) | ((data[from + 2] & 0xFF) << 8) | (data[from + 3] & 0xFF);
        if (boxSize % 4 != 0 || end - from < boxSize || !ascii(data, from + 4, "ftyp")) {
            return false;
        }
        for (int at = 8; at + 3 <= boxSize; at += 4) {
            if (at != 12 && ascii(data, from + at, "mp4")) { // 12: the minor version, not a brand
                return true;
            }
        }
        return false;
    }

    private static boolean ascii(byte[] data, int from, String expected) {
        for (int i = 0; i < expected.length(); i++) {
            if (data[from + i] != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** No byte that only binary data holds (controls other than whitespace and ESC). */
    private static boolean isText(byte[] data, int from, int end) {
        for (int i = from; i < end; i++) {
            int b = data[i] & 0xFF;
            if (b <= 0x08 || b == 0x0B || (b >= 0x0E && b <= 0x1A) || (b >= 0x1C && b <= 0x1F)) {
                return false;
            }
        }
        return true;
    }
}
