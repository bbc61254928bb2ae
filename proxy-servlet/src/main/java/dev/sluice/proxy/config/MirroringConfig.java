package dev.sluice.proxy.config;

import java.util.List;

/**
 * {@code [http.services.NAME.mirroring]}: serve from {@code service}, copy a share of the requests to
 * each mirror, fire-and-forget.
 *
 * @param mirrorBody copy the body too (default true)
 * @param maxBodySize a larger body is not mirrored; -1 (default) = no limit
 */
public record MirroringConfig(String service, List<Mirror> mirrors, Boolean mirrorBody, Long maxBodySize,
        ParentHealthCheck healthCheck) {
    public MirroringConfig {
        mirrors = Frozen.list(mirrors);
        mirrorBody = mirrorBody == null || mirrorBody;
        maxBodySize = maxBodySize == null ? -1 : maxBodySize;
    }

    /**
     * One mirror.
     *
     * @param percent share of requests copied to it, 0 (default) to 100
     */
    public record Mirror(String name, Integer percent) {
        public Mirror {
            percent = percent == null ? 0 : percent;
        }
    }
}
