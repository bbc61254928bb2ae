package dev.sluice.proxy.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The files the file provider reads: its {@code filename}, or every {@code .toml}, {@code .yaml} and
 * {@code .yml} file under its {@code directory}, in name order. As in Traefik, subdirectories are
 * read recursively; hidden entries (names starting with a dot: editors' swap files, the versioned
 * {@code ..data} directories of a Kubernetes ConfigMap mount, whose files are reached through their
 * own links) and symbolic links to directories are skipped.
 */
public final class ProviderFiles {
    private ProviderFiles() {}

    /** The files of {@code provider} as they are now; a directory that cannot be read is an error. */
    public static List<Path> list(ProvidersConfig.FileProviderConfig provider) throws ConfigException {
        if (provider == null) {
            return List.of();
        }
        if (provider.filename() != null && !provider.filename().isBlank()) {
            return List.of(Path.of(provider.filename()));
        }
        if (provider.directory() == null || provider.directory().isBlank()) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try {
            collect(Path.of(provider.directory()), files);
        } catch (IOException e) {
            throw new ConfigException("providers.file.directory: cannot read \"" + provider.directory() + "\": " + e.getMessage());
        }
        return files;
    }

    private static void collect(Path directory, List<Path> files) throws IOException {
        List<Path> entries;
        try (Stream<Path> list = Files.list(directory)) {
            entries = list.sorted().toList();
        }
        for (Path entry : entries) {
            if (entry.getFileName().toString().startsWith(".")) {
                continue;
            }
            if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                collect(entry, files);
            } else if (isConfigFile(entry) && Files.isRegularFile(entry)) {
                files.add(entry);
            }
        }
    }

    private static boolean isConfigFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".toml") || name.endsWith(".yaml") || name.endsWith(".yml");
    }
}
