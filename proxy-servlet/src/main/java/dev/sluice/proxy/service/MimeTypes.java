package dev.sluice.proxy.service;

import jakarta.servlet.ServletContext;
import java.util.Locale;
import java.util.Map;

/**
 * Content types for static files.
 *
 * <p>The web's common types are fixed here so a page looks the same on every container (their
 * built-in tables disagree, e.g. on {@code .js}, {@code .mjs} and {@code .wasm}); anything else
 * falls back to the container's table, then to {@code application/octet-stream}.
 */
final class MimeTypes {
    static final String OCTET_STREAM = "application/octet-stream";

    private static final String UTF8 = "; charset=utf-8";

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("html", "text/html" + UTF8),
            Map.entry("htm", "text/html" + UTF8),
            Map.entry("css", "text/css" + UTF8),
            Map.entry("js", "text/javascript" + UTF8),
            Map.entry("mjs", "text/javascript" + UTF8),
            Map.entry("json", "application/json" + UTF8),
            Map.entry("map", "application/json" + UTF8),
            Map.entry("webmanifest", "application/manifest+json" + UTF8),
            Map.entry("svg", "image/svg+xml" + UTF8),
            Map.entry("xml", "application/xml" + UTF8),
            Map.entry("txt", "text/plain" + UTF8),
            Map.entry("md", "text/markdown" + UTF8),
            Map.entry("csv", "text/csv" + UTF8),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("avif", "image/avif"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("wasm", "application/wasm"),
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("ttf", "font/ttf"),
            Map.entry("otf", "font/otf"),
            Map.entry("pdf", "application/pdf"),
            Map.entry("mp4", "video/mp4"),
            Map.entry("webm", "video/webm"),
            Map.entry("mp3", "audio/mpeg"),
            Map.entry("zip", "application/zip"));

    private MimeTypes() {}

    /** The {@code Content-Type} for {@code fileName}; {@code context} may be null. */
    static String forFile(String fileName, ServletContext context) {
        int dot = fileName.lastIndexOf('.');
        if (dot >= 0) {
            String known = BY_EXTENSION.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
            if (known != null) {
                return known;
            }
        }
        String fromContainer = context == null ? null : context.getMimeType(fileName);
        if (fromContainer == null || fromContainer.isBlank()) {
            return OCTET_STREAM;
        }
        // Our files are assumed UTF-8; without a charset browsers guess, sometimes wrongly.
        boolean text = fromContainer.regionMatches(true, 0, "text/", 0, 5);
        boolean hasCharset = fromContainer.toLowerCase(Locale.ROOT).contains("charset=");
        return text && !hasCharset ? fromContainer + UTF8 : fromContainer;
    }
}
