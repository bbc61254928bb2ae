package dev.sluice.proxy.service;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Answers with one regular file that has already been resolved and checked to lie inside the
 * root: validators, conditional requests, a single byte range, then the body.
 */
final class FileResponder {
    private FileResponder() {}

    /**
     * Serves {@code file} as the selected representation (200, 206, 304, 412 or 416).
     *
     * @return {@code false}, with the response untouched, when the file cannot be opened
     */
    static boolean serve(HttpServletRequest request, HttpServletResponse response, Path file, BasicFileAttributes attrs)
            throws IOException {
        long size = attrs.size();
        long modifiedMillis = attrs.lastModifiedTime().toMillis();
        // HTTP dates have whole seconds; comparing at finer precision would never yield a 304.
        long lastModified = Math.floorDiv(modifiedMillis, 1000L) * 1000L;
        String etag = etag(size, modifiedMillis);

        switch (Preconditions.evaluate(request, etag, lastModified)) {
            case NOT_MODIFIED:
                setValidators(response, etag, lastModified);
                ShortAnswers.empty(response, HttpServletResponse.SC_NOT_MODIFIED);
                ShortAnswers.complete(request);
                return true;
            case PRECONDITION_FAILED:
                ShortAnswers.empty(response, HttpServletResponse.SC_PRECONDITION_FAILED);
                ShortAnswers.complete(request);
                return true;
            default:
                break;
        }

        ByteRange range = null;
        // RFC 9110 §14.2: range handling is only defined for GET; HEAD gets the 200 headers.
        if ("GET".equals(request.getMethod()) && Preconditions.ifRangeAllows(request, etag, lastModified)) {
            range = ByteRange.parse(request.getHeader("Range"), size);
        }
        if (range != null && !range.satisfiable()) {
            response.setHeader("Content-Range", "bytes */" + size);
            response.setHeader("Accept-Ranges", "bytes");
            ShortAnswers.empty(response, HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE);
            ShortAnswers.complete(request);
            return true;
        }

        FileChannel channel = open(file);
        if (channel == null) {
            return false;
        }
        response.setStatus(range == null ? HttpServletResponse.SC_OK : HttpServletResponse.SC_PARTIAL_CONTENT);
        response.setContentType(MimeTypes.forFile(file.getFileName().toString(), request.getServletContext()));
        setValidators(response, etag, lastModified);
        response.setHeader("Accept-Ranges", "bytes");
        long offset = 0;
        long length = size;
        if (range != null) {
            response.setHeader("Content-Range", range.contentRange(size));
            offset = range.first();
            length = range.length();
        }
        sendBody(request, response, channel, offset, length);
        return true;
    }

    /**
     * Serves {@code file} as an error page with {@code status}: no validators and no ranges,
     * which only make sense for the representation that was actually asked for.
     *
     * @return {@code false}, with the response untouched, when the file cannot be opened
     */
    static boolean serveAs(HttpServletRequest request, HttpServletResponse response, Path file, BasicFileAttributes attrs,
            int status) throws IOException {
        FileChannel channel = open(file);
        if (channel == null) {
            return false;
        }
        response.setStatus(status);
        response.setContentType(MimeTypes.forFile(file.getFileName().toString(), request.getServletContext()));
        sendBody(request, response, channel, 0, attrs.size());
        return true;
    }

    /** Strong tag from size and modification time: cheap, and changes whenever the file does. */
    static String etag(long size, long modifiedMillis) {
        return "\"" + Long.toHexString(size) + "-" + Long.toHexString(modifiedMillis) + "\"";
    }

    private static void setValidators(HttpServletResponse response, String etag, long lastModified) {
        response.setHeader("ETag", etag);
        response.setHeader("Last-Modified", HttpDates.format(lastModified));
    }

    private static void sendBody(HttpServletRequest request, HttpServletResponse response, FileChannel channel,
            long offset, long length) throws IOException {
        response.setContentLengthLong(length);
        if (length == 0 || ShortAnswers.isHead(request)) {
            channel.close();
            ShortAnswers.complete(request);
            return;
        }
        StaticFileWriter.start(request, response, channel, offset, length);
    }

    /** Opens for reading; the path is already real, so refusing a link here closes a swap race. */
    private static FileChannel open(Path file) {
        try {
            return FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }
}
