package dev.sluice.proxy.service;

/**
 * One satisfiable byte range of a file, inclusive on both ends, as in {@code Content-Range}.
 *
 * <p>Only single ranges are honoured. RFC 9110 §14.2 lets a server ignore {@code Range}, and
 * serving multiple ranges would need {@code multipart/byteranges}, which almost no client uses
 * for static files while it is a classic amplification vector; a multi-range request gets the
 * whole file with 200 instead.
 *
 * @param first offset of the first byte
 * @param last offset of the last byte
 */
record ByteRange(long first, long last) {

    /** Marker for a syntactically valid range that misses the file entirely (416). */
    static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);

    long length() {
        return last - first + 1;
    }

    boolean satisfiable() {
        return first >= 0;
    }

    /** The {@code Content-Range} value for this range of a file of {@code size} bytes. */
    String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /**
     * Interprets a {@code Range} header against a file of {@code size} bytes.
     *
     * @return the range to send; {@link #UNSATISFIABLE} for a 416; {@code null} when the header
     *     is absent, malformed, in another unit or asks for several ranges (serve the whole file)
     */
    static ByteRange parse(String header, long size) {
        if (header == null) {
            return null;
        }
        int eq = header.indexOf('=');
        if (eq < 0 || !header.substring(0, eq).trim().equalsIgnoreCase("bytes")) {
            return null;
        }
        String spec = null;
        for (String part : header.substring(eq + 1).split(",", -1)) {
            if (!part.isBlank()) {
                if (spec != null) {
                    return null; // several ranges: ignored, see the class comment
                }
                spec = part.trim();
            }
        }
        if (spec == null) {
            return null;
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String from = spec.substring(0, dash).trim();
        String to = spec.substring(dash + 1).trim();
        if (from.isEmpty()) {
            return suffix(to, size);
        }
        long first = number(from);
        long last = to.isEmpty() ? Long.MAX_VALUE : number(to);
        if (first < 0 || last < 0 || last < first) {
            return null;
        }
        if (first >= size) {
            return UNSATISFIABLE;
        }
        return new ByteRange(first, Math.min(last, size - 1));
    }

    /** {@code -n}: the last n bytes, or the whole file when it is shorter. */
    private static ByteRange suffix(String count, long size) {
        long n = number(count);
        if (n < 0) {
            return null;
        }
        if (n == 0 || size == 0) {
            return UNSATISFIABLE;
        }
        return new ByteRange(Math.max(0, size - n), size - 1);
    }

    /** Decimal digits only (no sign, no spaces); saturates rather than overflowing; -1 if not a number. */
    private static long number(String digits) {
        if (digits.isEmpty()) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            if (value > (Long.MAX_VALUE - 9) / 10) {
                value = Long.MAX_VALUE; // far beyond any file; keep scanning to validate the syntax
            } else {
                value = value * 10 + (c - '0');
            }
        }
        return value;
    }
}
