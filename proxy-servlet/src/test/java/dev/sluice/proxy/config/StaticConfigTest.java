package dev.sluice.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Traefik's static configuration: Traefik's own documentation examples (in
 * {@code src/test/resources/traefik-static/}, each naming its source) load with one warning per key
 * Sluice ignores; misspelt keys stay errors with a suggestion; {@code log} binds.
 */
class StaticConfigTest {
    private static final String YET = "`: not supported yet, ignored";
    private static final String NEVER = "`: not supported by Sluice, ignored";

    private static Path example(String name) throws URISyntaxException {
        return Path.of(StaticConfigTest.class.getResource("/traefik-static/" + name).toURI());
    }

    private static List<String> warnings(String name) throws Exception {
        return ConfigLoader.load(List.of(example(name))).warnings();
    }

    /** The warnings of Traefik's reference file, in its order of keys: one per key ignored, none twice. */
    private static List<String> referenceWarnings() {
        List<String> expected = new ArrayList<>();
        expected.add("`global.checkNewVersion" + NEVER);
        expected.add("`global.sendAnonymousUsage" + NEVER);
        expected.add("`serversTransport" + YET);
        expected.add("`tcpServersTransport" + YET);
        for (String key : List.of("allowACMEByPass", "reusePort", "transport.keepAliveMaxTime", "transport.keepAliveMaxRequests",
                "forwardedHeaders.connection")) {
            expected.add("`entryPoints.EntryPoint0." + key + YET);
        }
        // http.tls and http.redirections are implemented; the reference's placeholders name nothing that exists.
        expected.add("`entryPoints.EntryPoint0.http.tls.options`: unknown TLS options \"foobar\", the default options apply");
        expected.add("`entryPoints.EntryPoint0.http.redirections.entryPoint.to`: unknown entry point \"foobar\", no redirection");
        for (String key : List.of("http.encodedCharacters", "http.encodeQuerySemicolons", "http.sanitizePath", "http.maxHeaderBytes",
                "http.underscoreHeadersStrategy", "http2.maxConcurrentStreams", "observability")) {
            expected.add("`entryPoints.EntryPoint0." + key + YET); // http3 is served: EntryPoint0 has http.tls
        }
        for (String provider : List.of("docker", "swarm", "kubernetesIngress", "kubernetesIngressNGINX", "kubernetesCRD",
                "kubernetesGateway", "rest", "consulCatalog", "nomad", "ecs", "consul", "etcd", "zooKeeper", "redis", "http", "plugin")) {
            expected.add("`providers." + provider + NEVER);
        }
        expected.add("`metrics.prometheus.buckets`: a bound is given twice, it is kept once");
        for (String exporter : List.of("datadog", "statsD", "influxDB2")) {
            expected.add("`metrics." + exporter + YET);
        }
        expected.add("`metrics.otlp.grpc`: both http and grpc are given, http is used");
        expected.add("`log.format`: json not supported yet, ignored (Sluice logs in the common format)");
        for (String key : List.of("noColor", "filePath", "maxSize", "maxAge", "maxBackups", "compress", "otlp")) {
            expected.add("`log." + key + YET);
        }
        expected.add("`accessLog.otlp" + YET);
        expected.add("`tracing.globalAttributes`: deprecated in Traefik, use resourceAttributes (merged into them)");
        expected.add("`hostResolver" + YET);
        for (String resolver : List.of("CertificateResolver0", "CertificateResolver1")) {
            String path = "`certificatesResolvers." + resolver;
            expected.add(path + ".tailscale" + YET);
            for (String key : List.of("profile", "emailAddresses", "disableCommonName", "clientResponseHeaderTimeout", "caServerName",
                    "dnsChallenge.resolvers", "dnsChallenge.delayBeforeCheck", "dnsChallenge.disablePropagationCheck",
                    "dnsChallenge.propagation", "httpChallenge.delay", "tlsChallenge.delay")) {
                expected.add(path + ".acme." + key + YET);
            }
        }
        expected.add("`experimental" + NEVER);
        expected.add("`core" + NEVER);
        expected.add("`spiffe" + YET);
        expected.add("`ocsp" + YET);
        return expected;
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference-file.toml", "reference-file.yaml"})
    void traefiksReferenceStaticConfigurationNamesItsPlaceholderAcmeValues(String name) throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(List.of(example(name))));
        List<String> expected = new ArrayList<>();
        expected.add("api.basePath: must start with / and hold only letters, digits and / _ . : ~ -, got \"foobar\"");
        expected.add("ping.terminatingStatusCode: must be an HTTP status from 100 to 599, got 42");
        for (String resolver : List.of("CertificateResolver0", "CertificateResolver1")) {
            String path = "certificatesResolvers." + resolver + ".acme";
            expected.add(path + ".keyType: unknown key type \"foobar\"; known: EC256, EC384, RSA2048, RSA4096");
            expected.add(path + ".caServer: must be an https:// URL, got \"foobar\"");
            expected.add(path + ".httpChallenge.entryPoint: unknown entry point \"foobar\"");
            expected.add(path + ".dnsChallenge.provider: unsupported provider \"foobar\"; Sluice calls a script with provider = \"exec\""
                    + " (EXEC_PATH), the provider-neutral form");
        }
        expected.add("metrics.otlp.http.endpoint: \"foobar\" is not an http(s) URL, e.g. http://localhost:4318/v1/metrics");
        for (String file : List.of("ca", "cert", "key")) {
            expected.add("metrics.otlp.http.tls." + file + ": cannot read foobar");
        }
        expected.add("metrics.otlp.grpc.endpoint: \"foobar\" is not host:port, e.g. localhost:4317");
        for (String file : List.of("ca", "cert", "key")) {
            expected.add("metrics.otlp.grpc.tls." + file + ": cannot read foobar");
        }
        expected.add("tracing.sampleRate: must be between 0 and 1, got 42.0");
        expected.add("tracing.otlp.http.endpoint: \"foobar\" is not an http(s) URL, e.g. http://localhost:4318/v1/traces");
        for (String exporter : List.of("http", "grpc")) {
            if (exporter.equals("grpc")) {
                expected.add("tracing.otlp.grpc.endpoint: \"foobar\" is not host:port, e.g. localhost:4317");
            }
            for (String file : List.of("ca", "cert", "key")) {
                expected.add("tracing.otlp." + exporter + ".tls." + file + ": cannot read foobar");
            }
        }
        assertEquals(expected, e.problems());
    }

    /**
     * Traefik's reference file with real values where Sluice checks the placeholder "foobar": an ACME
     * resolver's, tracing's (its PEM files must be readable: a file of the test stands for them).
     */
    private static Path withAcmeValues(String name, Path dir) throws Exception {
        String pem = Files.writeString(dir.resolve("placeholder.pem"), "not read before start").toString();
        String text = Files.readString(example(name))
                .replaceAll("(sampleRate\\s*[=:]\\s*)42(\\.0)?", "$10.5")
                .replaceAll("(\\n\\s*(ca|cert|key)\\s*[=:]\\s*)\"?foobar\"?", "$1\"" + pem + "\"")
                .replaceAll("(grpc\\]?:?\\s*\n\\s*endpoint\\s*[=:]\\s*)\"?foobar\"?", "$1\"localhost:4317\"")
                .replaceAll("(http\\]?:?\\s*\n\\s*endpoint\\s*[=:]\\s*)\"?foobar\"?", "$1\"http://localhost:4318/v1/traces\"")
                .replaceAll("(keyType\\s*[=:]\\s*)\"?foobar\"?", "$1\"EC384\"")
                .replaceAll("(caServer\\s*[=:]\\s*)\"?foobar\"?", "$1\"https://ca.example/dir\"")
                .replaceAll("(provider\\s*[=:]\\s*)\"?foobar\"?", "$1\"exec\"")
                .replaceAll("(httpChallenge\\]?:?\\s*\n\\s*entryPoint\\s*[=:]\\s*)\"?foobar\"?", "$1\"EntryPoint0\"")
                .replaceAll("(basePath\\s*[=:]\\s*)\"?foobar\"?", "$1\"/foobar\"")
                .replaceAll("(terminatingStatusCode\\s*[=:]\\s*)42", "$1204");
        return Files.writeString(dir.resolve(name), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference-file.toml", "reference-file.yaml"})
    void traefiksReferenceStaticConfigurationLoadsWithOneWarningPerIgnoredKey(String name, @TempDir Path dir) throws Exception {
        SluiceConfig config = ConfigLoader.load(List.of(withAcmeValues(name, dir)));
        assertEquals(referenceWarnings(), config.warnings());
        // What Sluice implements is read, not only tolerated.
        assertEquals(LogConfig.Level.DEBUG, config.log().level());
        EntryPointConfig ep = config.entryPoints().get("EntryPoint0");
        assertEquals(":8080", ep.address());
        assertEquals(java.time.Duration.ofSeconds(42), ep.transport().respondingTimeouts().idleTimeout());
        assertEquals("foobar", ep.http().redirections().entryPoint().to());
        assertEquals(42, ep.http2().maxConcurrentStreams());
        assertEquals(List.of("foobar", "foobar"), ep.http().middlewares());
    }

    static Stream<Arguments> documentationExamples() {
        List<String> entryPoints = List.of("`entryPoints.web.observability" + YET);
        return Stream.of(Arguments.of("entrypoints-example.toml", entryPoints), Arguments.of("entrypoints-example.yaml", entryPoints),
                Arguments.of("ref-acme.toml", List.of()));
    }

    @ParameterizedTest
    @MethodSource("documentationExamples")
    void traefiksDocumentationExamplesLoadWithWarnings(String name, List<String> expected) throws Exception {
        assertEquals(expected, warnings(name));
    }

    @Test
    void aConfigurationWithoutTraefiksStaticKeysHasNoWarnings() throws Exception {
        SluiceConfig config = ConfigLoader.load(List.of(Path.of("../conf/quickstart.toml")));
        assertEquals(List.of(), config.warnings());
        assertEquals(LogConfig.NONE, config.log());
    }

    @Test
    void keyNamesAreCaseInsensitiveAndWarningsUseTraefiksSpelling() throws Exception {
        SluiceConfig config = ConfigLoader.parse("""
                [Metrics.Prometheus]
                [API]
                dashboard = true
                [providers.KubernetesCRD]
                [LOG]
                Level = "debug"
                """, "test.toml");
        assertEquals(List.of("`providers.kubernetesCRD" + NEVER), config.warnings());
        assertEquals(PrometheusConfig.DEFAULTS, config.metrics().prometheus());
        assertEquals(LogConfig.Level.DEBUG, config.log().level());
    }

    @Test
    void anEmptySectionIsPresent() throws Exception {
        assertEquals(List.of("`metrics" + YET),
                ConfigLoader.parse("[metrics]\n[ping]\n[accessLog]\n", "test.toml").warnings());
        assertEquals(List.of("`pilot" + NEVER, "`hub" + NEVER),
                ConfigLoader.parse("api: {}\npilot:\n  token: x\nhub: {}\n", "test.yaml").warnings());
    }

    @Test
    void warningsOfSeveralFilesAreAllKept(@TempDir Path dir) throws Exception {
        Path a = Files.writeString(dir.resolve("static.toml"), "[entryPoints.web]\naddress = \":80\"\n[api]\n[providers.docker]\n");
        Path b = Files.writeString(dir.resolve("more.yaml"), "metrics:\n  prometheus: {}\ncertificatesResolvers:\n  le:\n    acme:\n"
                + "      tlsChallenge: {}\n      caServerName: ca\n");
        assertEquals(List.of("`providers.docker" + NEVER,
                "`certificatesResolvers.le.acme.caServerName" + YET),
                ConfigLoader.load(List.of(a, b)).warnings());
    }

    @Test
    void aStaticSectionInTwoFilesIsAnErrorNamingBoth(@TempDir Path dir) throws Exception {
        Path a = Files.writeString(dir.resolve("a.toml"), "[api]\n[log]\nlevel = \"INFO\"\n[certificatesResolvers.le.acme.tlsChallenge]\n");
        Path b = Files.writeString(dir.resolve("b.toml"), "[api]\n[log]\nlevel = \"DEBUG\"\n[certificatesResolvers.le.acme.tlsChallenge]\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(List.of(a, b)));
        assertEquals(List.of("log: defined in both " + a + " and " + b, "api: defined in both " + a + " and " + b,
                "certificatesResolvers.le: defined in both " + a + " and " + b), e.problems());
    }

    @Test
    void staticSectionsDoNotBelongInAProvidersFile(@TempDir Path dir) throws Exception {
        Path dynamic = Files.createDirectory(dir.resolve("dynamic"));
        Files.writeString(dynamic.resolve("d.toml"), "[metrics.prometheus]\n");
        Path main = Files.writeString(dir.resolve("main.toml"), "[providers.file]\ndirectory = \"dynamic\"\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(List.of(main)));
        assertTrue(e.problems().get(0).startsWith(dynamic.resolve("d.toml") + ": entryPoints, providers and the other static sections"),
                e.problems().toString());
    }

    static Stream<Arguments> typos() {
        return Stream.of(
                Arguments.of("[metrix]\n", "metrix: unknown key (did you mean \"metrics\"?)"),
                Arguments.of("[log]\nlevle = \"DEBUG\"\n", "log.levle: unknown key (did you mean \"level\"?)"),
                Arguments.of("[metrics.prometheus]\n[metrics.promethus]\n", "metrics.promethus: unknown key (did you mean \"prometheus\"?)"),
                Arguments.of("[providers.dokker]\n", "providers.dokker: unknown key (did you mean \"docker\"?)"),
                Arguments.of("[api]\ndashbord = true\n", "api.dashbord: unknown key (did you mean \"dashboard\"?)"),
                Arguments.of("[certificatesResolvers.le.acmee]\n", "certificatesResolvers.le.acmee: unknown key (did you mean \"acme\"?)"),
                Arguments.of("[entryPoints.web]\naddress = \":80\"\n[entryPoints.web.http.redirections.entryPoint]\ntoo = \"websecure\"\n",
                        "entryPoints.web.http.redirections.entryPoint.too: unknown key (did you mean \"to\"?)"),
                Arguments.of("[entryPoints.web]\naddress = \":80\"\nreusePorts = true\n",
                        "entryPoints.web.reusePorts: unknown key (did you mean \"reusePort\"?)"),
                Arguments.of("[entryPoints.web]\naddress = \":80\"\n[entryPoints.web.http2]\nmaxConcurrentStream = 5\n",
                        "entryPoints.web.http2.maxConcurrentStream: unknown key (did you mean \"maxConcurrentStreams\"?)"),
                Arguments.of("warnings = [\"x\"]\n", "warnings: unknown key;"));
    }

    @ParameterizedTest
    @MethodSource("typos")
    void typosAreErrorsWithASuggestion(String toml, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(toml, "test.toml"));
        assertEquals(1, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().get(0).startsWith("test.toml: " + expected), e.problems().get(0));
    }

    @Test
    void logLevelAndFormatAreTraefiksAndTheirValuesAreChecked() throws Exception {
        for (LogConfig.Level level : LogConfig.Level.values()) {
            assertEquals(level, ConfigLoader.parse("[log]\nlevel = \"" + level.name().toLowerCase() + "\"\n", "t.toml").log().level());
        }
        assertEquals(LogConfig.Format.JSON, ConfigLoader.parse("log:\n  format: JSON\n", "t.yaml").log().format());
        assertEquals(LogConfig.Format.COMMON, ConfigLoader.parse("[log]\nlevel = \"INFO\"\n", "t.toml").log().format());
        ConfigException level = assertThrows(ConfigException.class, () -> ConfigLoader.parse("[log]\nlevel = \"DEBG\"\n", "t.toml"));
        assertEquals(List.of("t.toml: log.level: unknown level \"DEBG\" (did you mean \"DEBUG\"?); expected one of TRACE, DEBUG, INFO,"
                + " WARN, ERROR, FATAL, PANIC"), level.problems());
        ConfigException format = assertThrows(ConfigException.class, () -> ConfigLoader.parse("log:\n  format: text\n", "t.yaml"));
        assertEquals(List.of("t.yaml: log.format: unknown format \"text\"; expected one of common, json"), format.problems());
    }
}
