package dev.sluice.proxy.service;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request path turned into safe, decoded file-name segments.
 *
 * <p>Decoding is done here, segment by segment, rather than trusting the container's decoded
 * {@code getPathInfo()}: containers differ on how they treat {@code %2F}, {@code %2e%2e} and path
 * parameters, and splitting <em>before</em> decoding is the only way to be sure an encoded slash
 * never becomes a separator. Anything that could climb out of the root is rejected outright.
 *
 * @param segments decoded segments, never empty strings, {@code "."} or {@code ".."}
 */
record RequestPath(List<String> segments) {

    RequestPath {
        segments = List.copyOf(segments);
    }

    /**
     * Parses a raw, still percent-encoded path such as {@code /docs/caf%C3%A9.txt}.
     *
     * @return the parsed path, or {@code null} when it must be refused (traversal, encoded
     *     separators, NUL, malformed escapes or invalid UTF-8)
     */
    static RequestPath parse(String rawPath) {
        if (rawPath == null) {
            return null;
        }
        if (rawPath.isEmpty()) {
            return new RequestPath(List.of());
        }
        if (rawPath.charAt(0) != '/') {
            return null;
        }
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.substring(1).split("/", -1)) {
            // Path parameters (";jsessionid=...") are not part of the file name; stripping them
            // also defeats the "..;" trick some containers normalise to "..".
            int semicolon = raw.indexOf(';');
            String segment = decode(semicolon < 0 ? raw : raw.substring(0, semicolon));
            if (segment == null || segment.equals("..") || !safeChars(segment)) {
                return null;
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        return new RequestPath(segments);
    }

    private static boolean safeChars(String segment) {
        return segment.indexOf('\0') < 0 && segment.indexOf('/') < 0 && segment.indexOf('\\') < 0;
    }

    /** Strict percent-decoding to UTF-8; {@code null} on a malformed escape or invalid UTF-8. */
    static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi << 4 | lo);
                i += 3;
            } else {
                // Copy a run of literal characters; a container may hand us raw non-ASCII text.
                int end = raw.indexOf('%', i);
                end = end < 0 ? raw.length() : end;
                bytes.writeBytes(raw.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
