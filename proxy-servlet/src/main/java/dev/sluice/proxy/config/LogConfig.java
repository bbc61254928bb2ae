package dev.sluice.proxy.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code [log]}: Sluice's own log, as Traefik's. {@code level} and {@code format} are applied by the
 * launcher at start (the standalone jar; in a WAR the container owns logging); the file and OTLP
 * options load with a warning.
 *
 * <pre>
 * [log]
 * level = "DEBUG"
 * </pre>
 *
 * @param level TRACE, DEBUG, INFO, WARN, ERROR, FATAL or PANIC, in any case; null when not set, which
 *     keeps Sluice's defaults (its own loggers at INFO, Jetty's at WARN) where Traefik would log at ERROR
 * @param format {@code common} (default) or {@code json}
 * @param noColor not supported yet (Sluice's log has no colours)
 * @param filePath not supported yet: Sluice logs to standard error
 * @param maxSize not supported yet (rotation of {@code filePath}, megabytes)
 * @param maxAge not supported yet (rotation of {@code filePath}, days)
 * @param maxBackups not supported yet (rotation of {@code filePath})
 * @param compress not supported yet (rotation of {@code filePath})
 * @param otlp not supported yet
 */
public record LogConfig(Level level, Format format, Boolean noColor, String filePath, Integer maxSize, Integer maxAge,
        Integer maxBackups, Boolean compress, JsonNode otlp) {
    /** No {@code [log]}: Sluice's defaults. */
    public static final LogConfig NONE = new LogConfig(null, null, null, null, null, null, null, null, null);

    public LogConfig {
        format = format == null ? Format.COMMON : format;
    }

    /** Traefik's log levels; FATAL and PANIC log as ERROR in Sluice, which has no levels above it. */
    public enum Level {
        TRACE, DEBUG, INFO, WARN, ERROR, FATAL, PANIC;

        /** Case-insensitive, as Traefik's; anything else is an error naming the levels. */
        @JsonCreator
        public static Level of(String name) {
            return parse(name, Level.class, values());
        }
    }

    /** {@code common} (one line of text per event) or {@code json} (one JSON object per line). */
    public enum Format {
        COMMON, JSON;

        @JsonCreator
        public static Format of(String name) {
            return parse(name, Format.class, values());
        }

        /** The name as written in a configuration. */
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static <E extends Enum<E>> E parse(String name, Class<E> type, E[] values) {
        for (E value : values) {
            if (value.name().equalsIgnoreCase(name)) {
                return value;
            }
        }
        List<String> names = Arrays.stream(values).map(Object::toString).toList();
        throw new IllegalArgumentException("unknown " + type.getSimpleName().toLowerCase(Locale.ROOT) + " \"" + name + "\""
                + Suggestions.didYouMean(name, names) + "; expected one of " + String.join(", ", names));
    }
}
