package dev.sluice.proxy.config.middleware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.config.ConfigException;
import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.SluiceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Configuration errors of the auth middlewares, each by the problem it must report under its key path; and their defaults. */
class AuthConfigErrorsTest {
    private static final String BCRYPT = "$2y$05$c4WoMPo3SXsafkva.HHa6uXQZWr7oboPiC2bT/r7q1BB8I2s0BRqC";

    private static String middleware(String type, String lines) {
        return "[http.middlewares.m." + type + "]\n" + lines + "\n";
    }

    private static List<String> problems(String toml) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(toml, "test.toml"));
        return e.problems();
    }

    private static void assertProblem(String toml, String expected) {
        List<String> problems = problems(toml);
        // Binding errors (unknown keys) name the file first; validation errors start with the key path.
        assertTrue(problems.stream().anyMatch(p -> p.startsWith(expected) || p.startsWith("test.toml: " + expected)),
                () -> problems + " lacks " + expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            basicAuth no users      | basicAuth  | realm = "x"                                  | http.middlewares.m.basicAuth.users: no users
            basicAuth empty list    | basicAuth  | users = []                                   | http.middlewares.m.basicAuth.users: no users
            basicAuth no colon      | basicAuth  | users = ["ann"]                              | http.middlewares.m.basicAuth.users[0]: expected name:hash
            basicAuth plain text    | basicAuth  | users = ["ann:secret"]                       | http.middlewares.m.basicAuth.users[0]: user ann: unknown hash format
            basicAuth unknown key   | basicAuth  | userz = ["a"]                                | http.middlewares.m.basicAuth.userz
            basicAuth missing file  | basicAuth  | usersFile = "/nonexistent/sluice.htpasswd"   | http.middlewares.m.basicAuth.usersFile: cannot read /nonexistent/sluice.htpasswd
            digestAuth no users     | digestAuth | realm = "x"                                  | http.middlewares.m.digestAuth.users: no users
            digestAuth bad HA1      | digestAuth | users = ["ann:traefik:nothex"]               | http.middlewares.m.digestAuth.users[0]: expected user:realm:HA1
            keyAuth no place        | keyAuth    | keys = ["k"]                                 | http.middlewares.m.keyAuth.header: give exactly one of header and query
            keyAuth both places     | keyAuth    | keys = ["k"]\\nheader = "h"\\nquery = "q"    | http.middlewares.m.keyAuth.header: give exactly one of header and query
            keyAuth no keys         | keyAuth    | header = "X-Key"                             | http.middlewares.m.keyAuth.keys: at least one non-empty key required
            forwardAuth no address  | forwardAuth| trustForwardHeader = true                    | http.middlewares.m.forwardAuth.address: required
            forwardAuth bad address | forwardAuth| address = "auth:9000"                        | http.middlewares.m.forwardAuth.address: must be an http:// or https:// URL
            forwardAuth bad regex   | forwardAuth| address = "http://a"\\nauthResponseHeadersRegex = "(X-"   | http.middlewares.m.forwardAuth.authResponseHeadersRegex: bad regular expression
            forwardAuth body size   | forwardAuth| address = "http://a"\\nmaxBodySize = -2       | http.middlewares.m.forwardAuth.maxBodySize: must be -1
            forwardAuth cert alone  | forwardAuth| address = "https://a"\\ntls.cert = "c.pem"    | http.middlewares.m.forwardAuth.tls: cert and key go together
            forwardAuth tls typo    | forwardAuth| address = "https://a"\\ntls.caa = "c.pem"     | http.middlewares.m.forwardAuth.tls.caa
            jwt no key              | jwt        | algorithm = "HS256"                          | http.middlewares.m.jwt.secret: give exactly one of secret, publicKey and jwksUrl
            jwt short secret        | jwt        | secret = "short"                             | http.middlewares.m.jwt.secret: HS256 needs a secret of at least 32 bytes
            jwt secret for RS256    | jwt        | algorithm = "RS256"\\nsecret = "0123456789012345678901234567890123" | http.middlewares.m.jwt.secret: RS256 verifies with a publicKey or jwksUrl
            jwt unknown algorithm   | jwt        | algorithm = "none"\\nsecret = "x"             | http.middlewares.m.jwt.algorithm: unknown algorithm "none"
            jwt bad pem             | jwt        | algorithm = "RS256"\\npublicKey = "nope"      | http.middlewares.m.jwt.publicKey: not a PEM public key
            jwt bad jwks url        | jwt        | algorithm = "ES256"\\njwksUrl = "file:/etc/keys" | http.middlewares.m.jwt.jwksUrl: must be an http:// or https:// URL
            jwt two places          | jwt        | secret = "0123456789012345678901234567890123"\\ncookie = "c"\\nquery = "q" | http.middlewares.m.jwt.header: give only one of header, cookie and query
            """)
    void eachProblemNamesItsKey(String label, String type, String lines, String expected) {
        assertProblem(middleware(type.trim(), lines.replace("\\n", "\n")), expected);
    }

    @Test
    void aBadLineOfAUsersFileIsNamedByNumber(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("users");
        Files.writeString(file, "# comment\nann:" + BCRYPT + "\n\nbob:{MD5}abc\n");
        assertProblem(middleware("basicAuth", "usersFile = '" + file + "'"),
                "http.middlewares.m.basicAuth.usersFile: " + file + " line 4: user bob: unknown hash format");
    }

    @Test
    void usersFileIsRelativeToTheConfigFile(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("auth"));
        Files.writeString(dir.resolve("auth/users"), "ann:" + BCRYPT + "\n");
        Path config = dir.resolve("sluice.toml");
        Files.writeString(config, middleware("basicAuth", "usersFile = \"auth/users\""));
        SluiceConfig loaded = ConfigLoader.load(List.of(config));
        BasicAuthConfig options = (BasicAuthConfig) loaded.http().middlewares().get("m").options();
        assertEquals(dir.resolve("auth/users").toString(), options.usersFile());
    }

    @Test
    void defaultsAreTraefiksAndPingaps() throws Exception {
        BasicAuthConfig basic = (BasicAuthConfig) ConfigLoader.parse(middleware("basicAuth", "users = ['ann:" + BCRYPT + "']"), "t.toml")
                .http().middlewares().get("m").options();
        assertEquals("traefik", basic.realm());
        assertEquals(false, basic.removeHeader());
        ForwardAuthConfig forward = (ForwardAuthConfig) ConfigLoader.parse(middleware("forwardAuth", "address = 'http://a'"), "t.toml")
                .http().middlewares().get("m").options();
        assertEquals(-1L, forward.maxBodySize());
        assertEquals(false, forward.forwardBody());
        assertEquals(null, forward.trustForwardHeader(), "unset keeps Traefik's legacy mode");
        JwtConfig jwt = assertInstanceOf(JwtConfig.class, ConfigLoader.parse(middleware("jwt", "secret = '0123456789012345678901234567890123'"),
                "t.toml").http().middlewares().get("m").options());
        assertEquals("HS256", jwt.algorithm());
        assertEquals("Authorization", jwt.header());
        assertEquals(Duration.ofHours(1), jwt.jwksTtl());
    }
}
