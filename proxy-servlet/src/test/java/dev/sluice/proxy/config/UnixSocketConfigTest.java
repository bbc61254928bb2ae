package dev.sluice.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Unix-domain socket addresses in the configuration: what parses, and every mistake with its key path. */
class UnixSocketConfigTest {

    @Test
    void entryPointAddress() {
        EntryPointAddress unix = EntryPointAddress.parse("unix:/run/sluice.sock");
        assertTrue(unix.isUnix());
        assertEquals(Path.of("/run/sluice.sock"), unix.unix());
        assertEquals(-1, unix.port());
        assertNull(unix.host());
        // A socket file may end in /udp or /tcp: no suffix is read from a unix address.
        assertEquals(Path.of("/run/x/udp"), EntryPointAddress.parse("unix:/run/x/udp").unix());
    }

    @ParameterizedTest(name = "\"{0}\": {1}")
    @CsvSource(delimiter = '|', value = {
        "unix:              | missing socket path, e.g. unix:/run/sluice.sock",
        "unix:run/s.sock    | the socket path must be absolute, e.g. unix:/run/sluice.sock",
        "unix:./s.sock      | the socket path must be absolute, e.g. unix:/run/sluice.sock",
        "unix:/run/         | the socket path names a directory",
    })
    void badEntryPointAddresses(String address, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EntryPointAddress.parse(address));
        assertEquals("invalid address \"" + address + "\": " + reason, e.getMessage());
    }

    @Test
    void tooLongSocketPath() {
        String address = "unix:/" + "x".repeat(107);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EntryPointAddress.parse(address));
        assertTrue(e.getMessage().endsWith("the socket path is longer than 107 bytes"), e.getMessage());
    }

    @Test
    void serverUrls() {
        assertNull(UnixUrl.parse("http://127.0.0.1:80"));
        assertEquals(new UnixUrl(Path.of("/run/app.sock"), ""), UnixUrl.parse("unix:/run/app.sock"));
        assertEquals(new UnixUrl(Path.of("/run/app.sock"), "/api/v1"), UnixUrl.parse("unix:/run/app.sock:/api/v1"));
        assertEquals(new UnixUrl(Path.of("/run/app.sock"), "/"), UnixUrl.parse("UNIX:/run/app.sock:/"));
    }

    @Test
    void unixSocketMode() {
        assertEquals("rw-rw----", java.nio.file.attribute.PosixFilePermissions.toString(new EntryPointConfig.UnixSocketOptions("0660").permissions()));
        assertEquals("rwxr-xr-x", java.nio.file.attribute.PosixFilePermissions.toString(new EntryPointConfig.UnixSocketOptions("755").permissions()));
        assertNull(new EntryPointConfig.UnixSocketOptions(null).permissions());
    }

    private static final String ROUTER = """
            [http.routers.r]
            rule = "PathPrefix(`/`)"
            service = "s"
            [http.services.s.loadBalancer]
            [[http.services.s.loadBalancer.servers]]
            url = "http://127.0.0.1:9000"
            """;

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("relative entry point socket", """
                        [entryPoints.web]
                        address = "unix:run/sluice.sock"
                        """ + ROUTER,
                        "entryPoints.web.address: invalid address \"unix:run/sluice.sock\": the socket path must be absolute, e.g. unix:/run/sluice.sock"),
                Arguments.of("bad mode", """
                        [entryPoints.web]
                        address = "unix:/run/sluice.sock"
                        [entryPoints.web.unixSocket]
                        mode = "rw-rw----"
                        """ + ROUTER,
                        "entryPoints.web.unixSocket.mode: invalid mode \"rw-rw----\": expected three octal digits, e.g. \"0660\""),
                Arguments.of("mode on a TCP address", """
                        [entryPoints.web]
                        address = ":8080"
                        [entryPoints.web.unixSocket]
                        mode = "0660"
                        """ + ROUTER,
                        "entryPoints.web.unixSocket.mode: only for a unix socket address (address = \"unix:/path\")"),
                Arguments.of("TCP router on a unix entry point", """
                        [entryPoints.db]
                        address = "unix:/run/db.sock"
                        [tcp.routers.t]
                        entryPoints = ["db"]
                        rule = "HostSNI(`*`)"
                        service = "t"
                        [tcp.services.t.loadBalancer]
                        [[tcp.services.t.loadBalancer.servers]]
                        address = "127.0.0.1:5432"
                        """,
                        "entryPoints.db.address: a unix socket entry point serves HTTP routers only; TCP and UDP routers need an IP address"),
                Arguments.of("redirection to a unix entry point", """
                        [entryPoints.web]
                        address = ":8080"
                        [entryPoints.web.http.redirections.entryPoint]
                        to = "local"
                        [entryPoints.local]
                        address = "unix:/run/sluice.sock"
                        """ + ROUTER,
                        "entryPoints.web.http.redirections.entryPoint.to: entry point local listens on a unix socket: a browser cannot be redirected to it"),
                Arguments.of("relative server socket", """
                        [entryPoints.web]
                        address = ":8080"
                        [http.routers.r]
                        rule = "PathPrefix(`/`)"
                        service = "s"
                        [http.services.s.loadBalancer]
                        [[http.services.s.loadBalancer.servers]]
                        url = "unix:app.sock"
                        """,
                        "http.services.s.loadBalancer.servers[0].url: invalid URL \"unix:app.sock\": the socket path must be absolute, e.g. unix:/run/app.sock"),
                Arguments.of("server base path without slash", """
                        [entryPoints.web]
                        address = ":8080"
                        [http.routers.r]
                        rule = "PathPrefix(`/`)"
                        service = "s"
                        [http.services.s.loadBalancer]
                        [[http.services.s.loadBalancer.servers]]
                        url = "unix:/run/app.sock:api"
                        """,
                        "http.services.s.loadBalancer.servers[0].url: invalid URL \"unix:/run/app.sock:api\": the path after the socket must start with /, e.g. unix:/run/app.sock:/api"),
                Arguments.of("TLS to a unix TCP server", """
                        [entryPoints.db]
                        address = ":5432/tcp"
                        [tcp.routers.t]
                        rule = "HostSNI(`*`)"
                        service = "t"
                        [tcp.services.t.loadBalancer]
                        [[tcp.services.t.loadBalancer.servers]]
                        address = "unix:/run/pg.sock"
                        tls = true
                        """,
                        "tcp.services.t.loadBalancer.servers[0].tls: TLS to a unix socket server is not supported"),
                Arguments.of("relative unix TCP server", """
                        [entryPoints.db]
                        address = ":5432/tcp"
                        [tcp.routers.t]
                        rule = "HostSNI(`*`)"
                        service = "t"
                        [tcp.services.t.loadBalancer]
                        [[tcp.services.t.loadBalancer.servers]]
                        address = "unix:pg.sock"
                        """,
                        "tcp.services.t.loadBalancer.servers[0].address: invalid address \"unix:pg.sock\": the socket path must be absolute, e.g. unix:/run/app.sock"),
                Arguments.of("UDP server on a unix socket", """
                        [entryPoints.dns]
                        address = ":53/udp"
                        [udp.routers.u]
                        service = "u"
                        [udp.services.u.loadBalancer]
                        [[udp.services.u.loadBalancer.servers]]
                        address = "unix:/run/dns.sock"
                        """,
                        "udp.services.u.loadBalancer.servers[0].address: a UDP server cannot be a unix socket"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void mistakesNameTheirKey(String label, String toml, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(toml, "test.toml"), label);
        List<String> problems = e.problems();
        assertTrue(problems.contains(expected), () -> "expected\n  " + expected + "\nbut got\n  " + String.join("\n  ", problems));
    }

    @Test
    void validUnixConfigurationLoads() throws ConfigException {
        SluiceConfig config = ConfigLoader.parse("""
                [entryPoints.local]
                address = "unix:/run/sluice.sock"
                [entryPoints.local.unixSocket]
                mode = "0660"
                [entryPoints.db]
                address = ":5432/tcp"
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "s"
                [http.services.s.loadBalancer]
                [[http.services.s.loadBalancer.servers]]
                url = "unix:/run/app.sock:/base"
                [tcp.routers.t]
                entryPoints = ["db"]
                rule = "HostSNI(`*`)"
                service = "t"
                [tcp.services.t.loadBalancer]
                [[tcp.services.t.loadBalancer.servers]]
                address = "unix:/run/pg.sock"
                """, "test.toml");
        assertEquals(EntryPointRoles.Role.HTTP, EntryPointRoles.of(config).role("local"));
        assertEquals("0660", config.entryPoints().get("local").unixSocket().mode());
    }
}
