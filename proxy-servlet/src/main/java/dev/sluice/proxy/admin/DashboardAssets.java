package dev.sluice.proxy.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The dashboard's files, committed as plain HTML, JavaScript and CSS under
 * {@code dev/sluice/proxy/admin/dashboard/} (no build step, no framework, nothing fetched from
 * elsewhere), read from the class path once: they are in the proxy-servlet jar, so in the standalone
 * jar and in the WAR alike. Each carries its content type and a strong ETag (a digest of its bytes).
 */
final class DashboardAssets {
    /** One file as served. */
    record Asset(byte[] bytes, String contentType, String etag) {}

    private static final String BASE = "dashboard/";

    /** By the name after {@code /dashboard/}; the empty name is the page itself. */
    static final Map<String, Asset> ALL = Map.of(
            "", load("index.html", "text/html; charset=utf-8"),
            "dashboard.js", load("dashboard.js", "text/javascript; charset=utf-8"),
            "dashboard.css", load("dashboard.css", "text/css; charset=utf-8"),
            "favicon.svg", load("favicon.svg", "image/svg+xml"));

    private DashboardAssets() {}

    private static Asset load(String file, String contentType) {
        try (InputStream in = DashboardAssets.class.getResourceAsStream(BASE + file)) {
            if (in == null) {
                throw new IllegalStateException("dashboard file missing from the class path: " + BASE + file);
            }
            byte[] bytes = in.readAllBytes();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return new Asset(bytes, contentType, "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
