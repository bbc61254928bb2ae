package dev.sluice.proxy.config;

import java.time.Duration;

/**
 * {@code [providers]}: where dynamic configuration comes from besides the file given on the command
 * line, which is always watched too.
 *
 * <pre>
 * [providers]
 * providersThrottleDuration = "2s"
 * [providers.file]
 * directory = "/etc/sluice/dynamic"
 * watch = true
 * </pre>
 *
 * @param providersThrottleDuration after a configuration is applied, changes are collected for this
 *     long before the next one is (default 2s, Traefik's); 0 applies every change at once
 * @param file the file provider, or null
 */
public record ProvidersConfig(Duration providersThrottleDuration, FileProviderConfig file) {
    public static final ProvidersConfig NONE = new ProvidersConfig(null, null);

    public ProvidersConfig {
        providersThrottleDuration = providersThrottleDuration == null ? Duration.ofSeconds(2) : providersThrottleDuration;
    }

    /**
     * {@code [providers.file]}: dynamic configuration read from {@code filename}, or from every
     * {@code .toml}, {@code .yaml} and {@code .yml} file under {@code directory} (recursively).
     *
     * @param watch re-read on every change (default true)
     */
    public record FileProviderConfig(String filename, String directory, Boolean watch) {
        public FileProviderConfig {
            watch = watch == null || watch;
        }
    }
}
