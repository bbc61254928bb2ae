package dev.sluice.proxy.service;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;

/**
 * Request bodies read into memory so they can be sent more than once (mirrors, failover replays),
 * never more than a limit. The read blocks, bounded by that limit (at most {@value #MAX} bytes).
 */
public final class KeptBody {
    /** The most any service keeps of one body. */
    static final long MAX = 4L * 1024 * 1024;

    private KeptBody() {}

    public static boolean present(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /** {@code limit} as configured (-1 = no limit) capped at {@link #MAX}. */
    public static long cap(long limit) {
        return limit < 0 ? MAX : Math.min(limit, MAX);
    }

    /**
     * The whole body if it is at most {@code limit} bytes, else null (then part of it may have
     * been read). Bodies without a declared length are read up to one byte past the limit.
     */
    public static byte[] read(HttpServletRequest request, long limit) throws IOException {
        if (request.getContentLengthLong() > limit) {
            return null;
        }
        byte[] body = readAtMost(request, limit);
        return body.length > limit ? null : body;
    }

    /**
     * The body if it is at most {@code limit} bytes, else its first {@code limit + 1} bytes (the
     * rest is still in the request's stream). The caller checked that a declared length is within
     * the limit.
     */
    static byte[] readAtMost(HttpServletRequest request, long limit) throws IOException {
        long length = request.getContentLengthLong();
        return request.getInputStream().readNBytes((int) (length >= 0 ? length : limit + 1));
    }
}
