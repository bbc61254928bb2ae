package dev.sluice.proxy.rule;

import java.nio.charset.StandardCharsets;

/**
 * The path that {@code Path}, {@code PathPrefix} and {@code PathRegexp} look at: Traefik's routing
 * path (normalise, then sanitise). Percent-escapes of unreserved characters are decoded, every
 * other escape is kept with upper-case hex (so {@code /foo%2Fbar} never matches {@code /foo/bar}),
 * characters that may not appear raw in a path are escaped, {@code .}/{@code ..} segments are
 * resolved without ever climbing above the root and duplicate slashes are collapsed.
 *
 * <p>Rule values go through {@link #canonicalValue(String)} so that they compare in the same
 * form: {@code PathPrefix(`/foo bar`)} matches a request for {@code /foo%20bar}.
 */
public final class RoutingPath {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** RFC 3986 unreserved: ALPHA DIGIT - . _ ~ (safe to decode, meaning does not change). */
    private static final boolean[] UNRESERVED = new boolean[128];
    /** Characters allowed raw in a path: unreserved, sub-delims, ':', '@' and '/'. */
    private static final boolean[] PATH_CHAR = new boolean[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            UNRESERVED[c] = true;
            UNRESERVED[Character.toUpperCase(c)] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            UNRESERVED[c] = true;
        }
        for (char c : "-._~".toCharArray()) {
            UNRESERVED[c] = true;
        }
        System.arraycopy(UNRESERVED, 0, PATH_CHAR, 0, 128);
        for (char c : "!$&'()*+,;=:@/".toCharArray()) {
            PATH_CHAR[c] = true;
        }
    }

    private RoutingPath() {
    }

    /**
     * The routing path of a raw (still percent-encoded) request path. Returns {@code rawPath}
     * itself, without allocating, when it is already canonical, which is the case for nearly
     * every request.
     *
     * @param rawPath the path as received, e.g. from {@code HttpServletRequest.getRequestURI()}
     * @return a path starting with {@code /}; {@code /} for null or empty input
     */
    public static String of(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        if (isCanonical(rawPath)) {
            return rawPath;
        }
        return sanitize(normalizeEncoding(rawPath));
    }

    /**
     * A {@code Path}/{@code PathPrefix} value in the form {@link #of} produces, minus the
     * segment clean-up (a rule that spells {@code /a/../b} simply never matches).
     */
    static String canonicalValue(String value) {
        return normalizeEncoding(value);
    }

    /** One pass, no allocation: anything that would be rewritten sends us to the slow path. */
    private static boolean isCanonical(String p) {
        int n = p.length();
        if (p.charAt(0) != '/') {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = p.charAt(i);
            if (c == '%') {
                // Already-canonical escapes (%2F, %20) are common enough to not force a rebuild.
                if (!isCanonicalEscape(p, i)) {
                    return false;
                }
                i += 2;
                continue;
            }
            if (c >= 128 || !PATH_CHAR[c]) {
                return false;
            }
            if (c == '/' && i + 1 < n) {
                char next = p.charAt(i + 1);
                if (next == '/') {
                    return false;
                }
                if (next == '.' && isDotSegment(p, i + 1)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** {@code %XX} with upper-case hex for a byte that must stay encoded. */
    private static boolean isCanonicalEscape(String p, int i) {
        if (i + 2 >= p.length()) {
            return false;
        }
        int hi = upperHex(p.charAt(i + 1));
        int lo = upperHex(p.charAt(i + 2));
        if (hi < 0 || lo < 0) {
            return false;
        }
        int v = hi << 4 | lo;
        return v >= 128 || !UNRESERVED[v];
    }

    private static int upperHex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    /** Whether the segment starting at {@code start} is exactly {@code .} or {@code ..}. */
    private static boolean isDotSegment(String p, int start) {
        int end = p.indexOf('/', start);
        int len = (end < 0 ? p.length() : end) - start;
        return len == 1 || (len == 2 && p.charAt(start + 1) == '.');
    }

    /** Step 1 (Traefik "normalisation"): decode unreserved escapes, canonicalise the rest. */
    private static String normalizeEncoding(String s) {
        int n = s.length();
        StringBuilder b = new StringBuilder(n + 8);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 2 < n ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (hi >= 0 && lo >= 0 && s.charAt(i + 1) < 128 && s.charAt(i + 2) < 128) {
                    int v = hi << 4 | lo;
                    if (v < 128 && UNRESERVED[v]) {
                        b.append((char) v);
                    } else {
                        appendEscape(b, v);
                    }
                    i += 2;
                } else {
                    // A stray '%' is a literal percent sign; its canonical form is %25.
                    appendEscape(b, '%');
                }
            } else if (c < 128 && PATH_CHAR[c]) {
                b.append(c);
            } else {
                i = appendUtf8Escaped(b, s, i);
            }
        }
        return b.toString();
    }

    /** Step 2 (Traefik "sanitisation"): resolve dot segments, collapse duplicate slashes. */
    private static String sanitize(String p) {
        int n = p.length();
        // Invariant: out ends with '/' before each segment is processed.
        StringBuilder out = new StringBuilder(n + 1).append('/');
        int i = !p.isEmpty() && p.charAt(0) == '/' ? 1 : 0;
        while (true) {
            int slash = p.indexOf('/', i);
            boolean last = slash < 0;
            int end = last ? n : slash;
            int len = end - i;
            if (len == 1 && p.charAt(i) == '.') {
                // "." vanishes; "/a/." keeps its trailing slash via the invariant
            } else if (len == 2 && p.charAt(i) == '.' && p.charAt(i + 1) == '.') {
                if (out.length() > 1) {
                    out.setLength(out.lastIndexOf("/", out.length() - 2) + 1);
                }
            } else if (len > 0) {
                out.append(p, i, end);
                if (!last) {
                    out.append('/');
                }
            }
            if (last) {
                return out.toString();
            }
            i = slash + 1;
        }
    }

    private static void appendEscape(StringBuilder b, int v) {
        b.append('%').append(HEX[v >> 4]).append(HEX[v & 0xF]);
    }

    /** Escapes the code point at {@code i} as UTF-8; returns the index of its last char. */
    private static int appendUtf8Escaped(StringBuilder b, String s, int i) {
        int cp = s.codePointAt(i);
        if (Character.isSurrogate(s.charAt(i)) && Character.charCount(cp) == 1) {
            cp = 0xFFFD; // lone surrogate: not encodable, substitute like a UTF-8 encoder would
        }
        for (byte x : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
            appendEscape(b, x & 0xFF);
        }
        return i + Character.charCount(cp) - 1;
    }
}
