package dev.sluice.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.tls.Certs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code [tls]}, router {@code tls} and transport {@code tls}: binding, Traefik's defaults, and each error with its key path. */
class TlsConfigTest {
    @TempDir
    static Path dir;
    static String cert;
    static String key;
    static String otherKey;
    static String ca;
    static String garbage;

    @BeforeAll
    static void files() throws Exception {
        Certs.Issued authority = Certs.ca("Config Test CA");
        Certs.Issued leaf = Certs.leaf(authority, "db", List.of("dns:db.example.com"));
        Certs.Issued other = Certs.leaf(authority, "other", List.of("dns:other.example.com"));
        ca = authority.writeCert(dir.resolve("ca.pem")).toString();
        cert = leaf.writeCert(dir.resolve("db.pem")).toString();
        key = leaf.writeKey(dir.resolve("db.key")).toString();
        otherKey = other.writeKey(dir.resolve("other.key")).toString();
        garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n").toString();
    }

    private static String certificate(String certFile, String keyFile) {
        return "[[tls.certificates]]\ncertFile = \"%s\"\nkeyFile = \"%s\"\n".formatted(certFile, keyFile);
    }

    private static final String ROUTER = """
            [entryPoints.tls]
            address = ":8443/tcp"
            [tcp.routers.r]
            rule = "HostSNI(`db.example.com`)"
            service = "s"
            [[tcp.services.s.loadBalancer.servers]]
            address = "127.0.0.1:5432"
            """;

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("missing certificate file", certificate("/nonexistent/db.pem", key),
                        "tls.certificates[0].certFile: cannot read \"/nonexistent/db.pem\""),
                Arguments.of("not PEM", certificate(garbage, key), "tls.certificates[0].certFile: \"" + garbage + "\": "),
                Arguments.of("key of another certificate", certificate(cert, otherKey),
                        "tls.certificates[0].keyFile: the private key does not match the certificate of certFile (\"" + cert + "\")"),
                Arguments.of("a certificate as the key", certificate(cert, cert),
                        "tls.certificates[0].keyFile: \"" + cert + "\": no unencrypted PEM private key"),
                Arguments.of("missing key", "[[tls.certificates]]\ncertFile = \"" + cert + "\"\n",
                        "tls.certificates[0].keyFile: missing file (or inline PEM)"),
                Arguments.of("another store", certificate(cert, key) + "stores = [\"other\"]\n",
                        "tls.certificates[0].stores[0]: unknown TLS store \"other\"; only \"default\" exists"),
                Arguments.of("default certificate", "[tls.stores.default.defaultCertificate]\ncertFile = \"" + cert + "\"\nkeyFile = \""
                        + otherKey + "\"\n", "tls.stores.default.defaultCertificate.keyFile: the private key does not match"),
                Arguments.of("ACME default", "[tls.stores.default.defaultGeneratedCert]\nresolver = \"le\"\n",
                        "tls.stores.default.defaultGeneratedCert: ACME certificates are not supported yet"),
                Arguments.of("unknown version", "[tls.options.o]\nminVersion = \"VersionTLS1.3\"\n",
                        "tls.options.o.minVersion: unknown TLS version \"VersionTLS1.3\" (did you mean \"VersionTLS13\"?); known: VersionTLS10,"),
                Arguments.of("max below min", "[tls.options.o]\nminVersion = \"VersionTLS13\"\nmaxVersion = \"VersionTLS12\"\n",
                        "tls.options.o.maxVersion: VersionTLS12 is below minVersion VersionTLS13"),
                Arguments.of("unknown cipher suite", "[tls.options.o]\ncipherSuites = [\"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\", \"TLS_FAKE\"]\n",
                        "tls.options.o.cipherSuites[1]: cipher suite \"TLS_FAKE\" is unknown to this JVM"),
                Arguments.of("client auth type", "[tls.options.o.clientAuth]\nclientAuthType = \"RequireAndVerifyClientCerts\"\ncaFiles = [\"" + ca
                        + "\"]\n", "tls.options.o.clientAuth.clientAuthType: unknown client auth type \"RequireAndVerifyClientCerts\""
                        + " (did you mean \"RequireAndVerifyClientCert\"?)"),
                Arguments.of("verifying without CAs", "[tls.options.o.clientAuth]\nclientAuthType = \"VerifyClientCertIfGiven\"\n",
                        "tls.options.o.clientAuth.caFiles: VerifyClientCertIfGiven needs the CAs client certificates must chain to"),
                Arguments.of("unreadable CA", "[tls.options.o.clientAuth]\nclientAuthType = \"RequireAndVerifyClientCert\"\ncaFiles = [\"/nope.pem\"]\n",
                        "tls.options.o.clientAuth.caFiles[0]: cannot read \"/nope.pem\""),
                Arguments.of("curve", "[tls.options.o]\ncurvePreferences = [\"CurveP257\"]\n",
                        "tls.options.o.curvePreferences[0]: unknown curve \"CurveP257\" (did you mean"),
                Arguments.of("unknown options", ROUTER + "[tls.options.modern]\n[tcp.routers.r.tls]\noptions = \"modrn\"\n",
                        "tcp.routers.r.tls.options: unknown TLS options \"modrn\" (did you mean \"modern\"?)"),
                Arguments.of("ACME resolver", ROUTER + "[tcp.routers.r.tls]\ncertResolver = \"le\"\n",
                        "tcp.routers.r.tls.certResolver: ACME certificate resolvers are not supported yet"),
                Arguments.of("transport CA", ROUTER + "[tcp.routers.r.tls]\n[tcp.serversTransports.t.tls]\nrootCAs = [\"/nope.pem\"]\n",
                        "tcp.serversTransports.t.tls.rootCAs[0]: cannot read \"/nope.pem\""),
                Arguments.of("transport client key", ROUTER + "[tcp.routers.r.tls]\n[[tcp.serversTransports.t.tls.certificates]]\ncertFile = \"" + cert
                        + "\"\nkeyFile = \"" + otherKey + "\"\n", "tcp.serversTransports.t.tls.certificates[0].keyFile: the private key does not match"),
                Arguments.of("HTTP transport CA", "[http.serversTransports.h]\nrootCAs = [\"" + garbage + "\"]\n",
                        "http.serversTransports.h.rootCAs[0]: \"" + garbage + "\": "),
                Arguments.of("TLS to a UDP server", "[[udp.services.u.loadBalancer.servers]]\naddress = \"127.0.0.1:53\"\ntls = true\n",
                        "udp.services.u.loadBalancer.servers[0].tls: not an option of UDP servers (TCP only)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void reportsTheProblemAtItsKeyPath(String label, String toml, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(toml, "t.toml"), label);
        assertTrue(e.getMessage().startsWith(expected), () -> "expected a message starting with\n  " + expected + "\nbut got\n  " + e.getMessage());
    }

    @Test
    void anUnknownKeyIsNamedWithASuggestion() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("[tls.options.o]\nminVersoin = \"VersionTLS13\"\n", "t.toml"));
        assertTrue(e.getMessage().startsWith("t.toml: tls.options.o.minVersoin: unknown key (did you mean \"minVersion\"?)"), e.getMessage());
    }

    @Test
    void bindsWithTraefiksDefaults() throws Exception {
        String inline = Files.readString(Path.of(cert));
        SluiceConfig config = ConfigLoader.parse(ROUTER + """
                [tcp.routers.r.tls]
                options = "mtls@file"
                domains = [{ main = "db.example.com" }]
                [[tls.certificates]]
                certFile = '''%s'''
                keyFile = "%s"
                [tls.options.mtls]
                maxVersion = "VersionTLS12"
                alpnProtocols = ["postgresql"]
                [tls.options.mtls.clientAuth]
                caFiles = ["%s"]
                clientAuthType = "RequireAndVerifyClientCert"
                """.formatted(inline, key, ca), "t.toml");
        assertEquals("mtls", config.tcp().routers().get("r").tls().options(), "the @file suffix is dropped");
        assertFalse(config.tcp().routers().get("r").tls().passthrough(), "a tls section terminates by default");
        TlsOptionsConfig defaults = config.tls().optionsNamed(null);
        assertEquals(List.of("TLSv1.2", "TLSv1.3"), defaults.protocols());
        assertNull(defaults.alpnProtocols(), "no ALPN unless asked for");
        assertFalse(defaults.clientAuth().requests());
        assertFalse(defaults.sniStrict());
        TlsOptionsConfig mtls = config.tls().optionsNamed("mtls");
        assertEquals(List.of("TLSv1.2"), mtls.protocols());
        assertEquals(List.of("postgresql"), mtls.alpnProtocols());
        assertTrue(mtls.clientAuth().requires() && mtls.clientAuth().verifies());
        assertNull(config.tls().optionsNamed("nope"));
        assertTrue(Pem.isInline(config.tls().certificates().get(0).certFile()), "inline PEM is kept as text");
    }

    @Test
    void relativeFilesAreFoundNextToTheConfigFile() throws Exception {
        Path conf = dir.resolve("conf");
        Files.createDirectories(conf.resolve("certs"));
        Files.copy(Path.of(cert), conf.resolve("certs/db.pem"));
        Files.copy(Path.of(key), conf.resolve("certs/db.key"));
        Path file = Files.writeString(conf.resolve("tls.toml"), certificate("certs/db.pem", "certs/db.key")
                + "[tcp.serversTransports.t.tls]\nrootCAs = [\"certs/db.pem\"]\n");
        SluiceConfig config = ConfigLoader.load(List.of(file));
        assertEquals(conf.resolve("certs/db.pem").toString(), config.tls().certificates().get(0).certFile());
        assertEquals(List.of(conf.resolve("certs/db.pem").toString()), config.tcp().serversTransports().get("t").tls().rootCAs());
    }
}
