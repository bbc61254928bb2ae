package dev.sluice.proxy.config;

import java.nio.file.Path;

/**
 * A server URL naming a unix-domain socket: {@code unix:/run/app.sock}, or
 * {@code unix:/run/app.sock:/base/path} (the socket path ends at the first {@code :}, so a socket
 * file whose name holds one cannot be named).
 *
 * @param socket the absolute socket path
 * @param path the base path after the socket, {@code ""} when there is none
 */
public record UnixUrl(Path socket, String path) {
    public static final String PREFIX = "unix:";

    /** The unix URL {@code url}, or null when it is no {@code unix:} URL; throws when it is a broken one. */
    public static UnixUrl parse(String url) {
        if (url == null || !url.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return null;
        }
        String rest = url.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        String file = colon < 0 ? rest : rest.substring(0, colon);
        String path = colon < 0 ? "" : rest.substring(colon + 1);
        if (file.isEmpty()) {
            throw new IllegalArgumentException("invalid URL \"" + url + "\": missing socket path, e.g. unix:/run/app.sock");
        }
        if (!file.startsWith("/")) {
            throw new IllegalArgumentException("invalid URL \"" + url + "\": the socket path must be absolute, e.g. unix:/run/app.sock");
        }
        if (!path.isEmpty() && !path.startsWith("/")) {
            throw new IllegalArgumentException("invalid URL \"" + url + "\": the path after the socket must start with /, e.g. unix:/run/app.sock:/api");
        }
        if (path.contains("?") || path.contains("#")) {
            throw new IllegalArgumentException("invalid URL \"" + url + "\": no query or fragment allowed");
        }
        try {
            java.net.URI.create("http://localhost" + path);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid URL \"" + url + "\": the path after the socket is no valid URL path");
        }
        return new UnixUrl(Path.of(file), path);
    }
}
