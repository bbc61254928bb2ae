package dev.sluice.proxy.config;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads configuration files (TOML, or YAML by extension) into {@link SluiceConfig}, merges several
 * files, and validates the result. Every failure is a {@link ConfigException} naming the key path.
 *
 * <pre>
 * SluiceConfig config = ConfigLoader.load(List.of(Path.of("conf/quickstart.toml")));
 * </pre>
 */
public final class ConfigLoader {
    private static final ObjectMapper TOML = configure(TomlMapper.builder());

    /** Built when the first YAML file is read: a TOML-only setup never loads the YAML parser. */
    private static final class Yaml {
        static final ObjectMapper MAPPER = configure(YAMLMapper.builder());
    }

    private ConfigLoader() {}

    /**
     * Loads, merges and validates {@code files} and the dynamic configuration of the file provider
     * they name ({@code [providers.file]}). A resource that two provider files define differently is
     * dropped with an error in the log, and the rest applies (Traefik's rule).
     */
    public static SluiceConfig load(List<Path> files) throws ConfigException {
        if (files.isEmpty()) {
            throw new ConfigException("no configuration file given");
        }
        Problems problems = new Problems();
        List<Sourced> parsed = new ArrayList<>();
        for (Path file : files) {
            parsed.add(readResolved(file, problems));
        }
        int bound = problems.size();
        SluiceConfig merged = ConfigMerger.merge(parsed, problems);
        // A name defined twice stops here: what validation would say next concerns a guess.
        if (problems.size() > bound) {
            problems.throwIfAny();
        }
        List<Path> providerFiles = ProviderFiles.list(merged.providers().file());
        if (!providerFiles.isEmpty()) {
            List<Sourced> all = new ArrayList<>(List.of(new Sourced(String.join(", ", files.stream().map(Path::toString).toList()), merged)));
            for (Path file : providerFiles) {
                try {
                    Sourced dynamic = readResolved(file, problems);
                    SluiceConfig c = dynamic.config();
                    if (!c.entryPoints().isEmpty() || !c.providers().equals(ProvidersConfig.NONE) || !c.log().equals(LogConfig.NONE)
                            || !c.certificatesResolvers().isEmpty() || !c.unsupported().presentKeys().isEmpty()
                            || c.api() != null || c.ping() != null || c.accessLog() != null || c.events() != null) {
                        problems.add(file.toString(), "entryPoints, providers and the other static sections (log, api, metrics, ...) belong in the"
                                + " static configuration (--config), not in a provider's file");
                    }
                    all.add(dynamic);
                } catch (ConfigException e) {
                    e.problems().forEach(p -> problems.add(file.toString(), p.startsWith(file + ": ") ? p.substring(file.toString().length() + 2) : p));
                }
            }
            problems.throwIfAny();
            List<String> dropped = new ArrayList<>();
            merged = ConfigMerger.mergeDropping(all, dropped);
            // Looked up here, not in a static field: loading must not start the logging before the launcher
            // has applied log.level (jetty-slf4j-impl fixes a logger's level when the logger is created).
            dropped.forEach(message -> org.slf4j.LoggerFactory.getLogger(ConfigLoader.class).error("{}", message));
        }
        ConfigValidator.validate(merged, problems);
        problems.throwIfAny();
        return InternalRouting.apply(merged.withWarnings(StaticWarnings.of(merged)));
    }

    private static Sourced readResolved(Path file, Problems problems) throws ConfigException {
        return new Sourced(file.toString(), ProviderNames.strip(ConfigPaths.resolve(read(file, problems), baseDirectory(file))));
    }

    /** Parses and validates one document; {@code source} names it in messages, its extension picks the format. */
    public static SluiceConfig parse(String text, String source) throws ConfigException {
        Problems problems = new Problems();
        SluiceConfig config = ProviderNames.strip(ConfigPaths.resolve(bind(text, source, problems), Path.of("").toAbsolutePath()));
        ConfigValidator.validate(config, problems);
        problems.throwIfAny();
        return InternalRouting.apply(config.withWarnings(StaticWarnings.of(config)));
    }

    private static SluiceConfig read(Path file, Problems problems) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
        return bind(text, file.toString(), problems);
    }

    /**
     * Binds one document. Values that do not parse (a strategy, a hash key, a rule) are added to
     * {@code problems} and binding goes on; a document that cannot be bound at all (syntax, unknown
     * key, wrong type) throws, with the problems found before it.
     */
    private static SluiceConfig bind(String text, String source, Problems problems) throws ConfigException {
        String lower = source.toLowerCase(Locale.ROOT);
        ObjectMapper mapper = lower.endsWith(".yaml") || lower.endsWith(".yml") ? Yaml.MAPPER : TOML;
        JsonParser parser = null;
        try {
            parser = mapper.createParser(text);
            // No tokens at all (an empty or comment-only YAML file) is an empty configuration, as an
            // empty TOML file is; so is a document that is only null ("---", "~").
            if (parser.nextToken() == null) {
                return new SluiceConfig(null, null);
            }
            SluiceConfig config = mapper.readerFor(SluiceConfig.class).withAttribute(TypedValues.PROBLEMS, problems).readValue(parser);
            return config == null ? new SluiceConfig(null, null) : config;
        } catch (JsonProcessingException e) {
            // Described before the parser is closed: it still holds the offending value.
            problems.add(source, BindingErrors.describe(e));
            throw new ConfigException(problems.messages());
        } catch (IOException e) {
            problems.add(source, "cannot read: " + e.getMessage());
            throw new ConfigException(problems.messages());
        } finally {
            if (parser != null) {
                try {
                    parser.close();
                } catch (IOException ignored) {
                    // reading from a String: nothing to release
                }
            }
        }
    }

    private static Path baseDirectory(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }

    private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> ObjectMapper configure(MapperBuilder<M, B> builder) {
        SimpleModule durations = new SimpleModule("sluice-durations");
        durations.addDeserializer(Duration.class, new DurationDeserializer());
        return builder
                .addModule(durations)
                .addModule(TypedValues.module())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // Records bind through their constructors only: a list component such as SluiceConfig.warnings
                // is not a key a file may set.
                .disable(MapperFeature.USE_GETTERS_AS_SETTERS)
                // Traefik's file provider ignores the case of keys (its own docs write "healthcheck").
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // "weight = \"2\"" is a type error, not a number: Traefik's schema is typed.
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                // "weight = 1.5" is a type error, not 1.
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                // "rule = 42" or "rule = true" is a type error, not the string "42".
                .withCoercionConfig(LogicalType.Textual, c -> c
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                // A null inside a table or list (YAML "r:" with no body, "servers: [~]") is an error naming
                // its key, not a null that crashes later.
                .defaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL))
                .build();
    }

    /** One parsed file and its name, for merge messages. */
    record Sourced(String source, SluiceConfig config) {}

    /** Durations as Go strings ({@code "1m30s"}) or bare numbers of seconds. */
    private static final class DurationDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken token = p.currentToken();
            if (token == JsonToken.VALUE_NUMBER_INT) {
                return Duration.ofSeconds(p.getLongValue());
            }
            if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                return Duration.ofNanos(Math.round(p.getDoubleValue() * 1e9));
            }
            if (token == JsonToken.VALUE_STRING) {
                try {
                    return Durations.parse(p.getText());
                } catch (IllegalArgumentException e) {
                    return (Duration) ctxt.handleWeirdStringValue(Duration.class, p.getText(), e.getMessage());
                }
            }
            return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
        }
    }
}
