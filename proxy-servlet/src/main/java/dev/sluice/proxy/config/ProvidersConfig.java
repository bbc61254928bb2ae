package dev.sluice.proxy.config;

import com.fasterxml.jackson.databind.JsonNode;
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
 * @param precedence and the other providers of Traefik: accepted, each null when absent, and only
 *     warned about ({@link UnsupportedProviders}); typed at their first level so a misspelt provider
 *     is an error with a suggestion
 */
public record ProvidersConfig(Duration providersThrottleDuration, FileProviderConfig file, JsonNode precedence, JsonNode docker,
        JsonNode swarm, JsonNode kubernetesIngress, JsonNode kubernetesIngressNGINX, JsonNode kubernetesCRD, JsonNode kubernetesGateway,
        JsonNode knative, JsonNode rest, JsonNode consulCatalog, JsonNode nomad, JsonNode ecs, JsonNode consul, JsonNode etcd,
        JsonNode zooKeeper, JsonNode redis, JsonNode http, JsonNode plugin) {
    public static final ProvidersConfig NONE = new ProvidersConfig(null, null);

    public ProvidersConfig {
        providersThrottleDuration = providersThrottleDuration == null ? Duration.ofSeconds(2) : providersThrottleDuration;
    }

    /** Only the providers Sluice has. */
    public ProvidersConfig(Duration providersThrottleDuration, FileProviderConfig file) {
        this(providersThrottleDuration, file, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null);
    }

    /** A copy with another file provider, the rest kept. */
    ProvidersConfig withFile(FileProviderConfig newFile) {
        return new ProvidersConfig(providersThrottleDuration, newFile, precedence, docker, swarm, kubernetesIngress, kubernetesIngressNGINX,
                kubernetesCRD, kubernetesGateway, knative, rest, consulCatalog, nomad, ecs, consul, etcd, zooKeeper, redis, http, plugin);
    }

    /**
     * {@code [providers.file]}: dynamic configuration read from {@code filename}, or from every
     * {@code .toml}, {@code .yaml} and {@code .yml} file under {@code directory} (recursively).
     *
     * @param watch re-read on every change (default true)
     * @param debugLogGeneratedTemplate Traefik's, for its Go templates: accepted, warned about (Sluice does not template files)
     */
    public record FileProviderConfig(String filename, String directory, Boolean watch, Boolean debugLogGeneratedTemplate) {
        public FileProviderConfig {
            watch = watch == null || watch;
        }

        public FileProviderConfig(String filename, String directory, Boolean watch) {
            this(filename, directory, watch, null);
        }
    }
}
