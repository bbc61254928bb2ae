package dev.sluice.proxy.config;

import java.util.List;

/**
 * {@code [http.services.NAME.static]} (Pingoo's static service): files served from a directory.
 *
 * @param root directory to serve; nothing outside it is ever served
 * @param index file names tried for a directory, default {@code ["index.html"]}
 * @param spa serve the root index for paths that match no file (single-page apps)
 * @param notFound page served for missing files
 */
public record StaticConfig(String root, List<String> index, Boolean spa, NotFound notFound) {
    public StaticConfig {
        index = Frozen.list(index, List.of("index.html"));
        spa = spa != null && spa;
    }

    /**
     * {@code [http.services.NAME.static.notFound]}.
     *
     * @param file path relative to {@code root}
     * @param status status sent with it, default 404
     */
    public record NotFound(String file, Integer status) {
        public NotFound {
            status = status == null ? 404 : status;
        }
    }
}
