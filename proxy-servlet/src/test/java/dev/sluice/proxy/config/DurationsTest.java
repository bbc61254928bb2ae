package dev.sluice.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DurationsTest {

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("10s", Duration.ofSeconds(10)),
                Arguments.of("1m30s", Duration.ofSeconds(90)),
                Arguments.of("150ms", Duration.ofMillis(150)),
                Arguments.of("1.5h", Duration.ofMinutes(90)),
                Arguments.of("2h45m", Duration.ofMinutes(165)),
                Arguments.of("0", Duration.ZERO),
                Arguments.of("0s", Duration.ZERO),
                Arguments.of("-1s", Duration.ofSeconds(-1)),
                Arguments.of("-1.5m", Duration.ofSeconds(-90)),
                Arguments.of("+5s", Duration.ofSeconds(5)),
                Arguments.of("300us", Duration.ofNanos(300_000)),
                Arguments.of("1µs", Duration.ofNanos(1_000)), // U+00B5 micro sign
                Arguments.of("1μs", Duration.ofNanos(1_000)), // U+03BC Greek mu, as Go accepts too
                Arguments.of("3ns", Duration.ofNanos(3)),
                Arguments.of("1s500ms", Duration.ofMillis(1500)),
                Arguments.of(".5s", Duration.ofMillis(500)),
                Arguments.of("  10s ", Duration.ofSeconds(10)),
                // bare numbers are seconds, as in Traefik's file provider
                Arguments.of("5", Duration.ofSeconds(5)),
                Arguments.of("10", Duration.ofSeconds(10)),
                Arguments.of("1.5", Duration.ofMillis(1500)),
                Arguments.of("-2", Duration.ofSeconds(-2)));
    }

    @ParameterizedTest(name = "\"{0}\" = {1}")
    @MethodSource("valid")
    void parses(String text, Duration expected) {
        assertEquals(expected, Durations.parse(text));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("", "empty duration"),
                Arguments.of("   ", "empty duration"),
                Arguments.of("1x", "invalid duration \"1x\": unknown unit \"x\""),
                Arguments.of("s", "invalid duration \"s\": expected a number at position 1"),
                Arguments.of("1.2.3s", "invalid duration \"1.2.3s\": bad number \"1.2.3\""),
                Arguments.of("1m30", "invalid duration \"1m30\": missing unit"),
                Arguments.of("10 s", "invalid duration \"10 s\": unknown unit \" s\""),
                Arguments.of("1h-1m", "invalid duration \"1h-1m\""),
                Arguments.of("1e3s", "invalid duration \"1e3s\""),
                Arguments.of("NaN", "invalid duration \"NaN\""),
                Arguments.of("9999999999h", "invalid duration \"9999999999h\": out of range"),
                // A sign alone is not a duration (Go: time: invalid duration "-").
                Arguments.of("-", "invalid duration \"-\""),
                Arguments.of("+", "invalid duration \"+\""));
    }

    @ParameterizedTest(name = "\"{0}\" is rejected")
    @MethodSource("invalid")
    void rejects(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text),
                () -> "\"" + text + "\" parsed as " + safeParse(text));
        assertTrue(e.getMessage().contains(message), () -> "expected \"" + message + "\" in: " + e.getMessage());
    }

    private static String safeParse(String text) {
        try {
            return String.valueOf(Durations.parse(text));
        } catch (RuntimeException e) {
            return e.toString();
        }
    }

    @ParameterizedTest(name = "format({0}) parses back")
    @MethodSource("valid")
    void formatParsesBack(String ignored, Duration d) {
        assertEquals(d, Durations.parse(Durations.format(d)));
    }

    @Test
    void formatsCommonValues() {
        assertEquals("0s", Durations.format(Duration.ZERO));
        assertEquals("150ms", Durations.format(Duration.ofMillis(150)));
        assertEquals("1m30s", Durations.format(Duration.ofSeconds(90)));
        assertEquals("1.5s", Durations.format(Duration.ofMillis(1500)));
        assertEquals("-1s", Durations.format(Duration.ofSeconds(-1)));
    }

    @Test
    void tomlIntegerIsSeconds() throws ConfigException {
        SluiceConfig config = ConfigLoader.parse("""
                [http.serversTransports.t.forwardingTimeouts]
                idleConnTimeout = 90
                dialTimeout = 0
                responseHeaderTimeout = 2.5
                """, "test.toml");
        ServersTransportConfig.ForwardingTimeouts timeouts = config.http().serversTransports().get("t").forwardingTimeouts();
        assertEquals(Duration.ofSeconds(90), timeouts.idleConnTimeout());
        assertEquals(Duration.ZERO, timeouts.dialTimeout());
        assertEquals(Duration.ofMillis(2500), timeouts.responseHeaderTimeout());
    }

    @Test
    void tomlStringsAndBareNumberStrings() throws ConfigException {
        SluiceConfig config = ConfigLoader.parse("""
                [http.serversTransports.t.forwardingTimeouts]
                idleConnTimeout = "1m30s"
                dialTimeout = "5"
                """, "test.toml");
        ServersTransportConfig.ForwardingTimeouts timeouts = config.http().serversTransports().get("t").forwardingTimeouts();
        assertEquals(Duration.ofSeconds(90), timeouts.idleConnTimeout());
        assertEquals(Duration.ofSeconds(5), timeouts.dialTimeout());
        assertEquals(Duration.ZERO, timeouts.responseHeaderTimeout());
    }

    @Test
    void yamlIntegerIsSeconds() throws ConfigException {
        SluiceConfig config = ConfigLoader.parse("""
                http:
                  serversTransports:
                    t:
                      forwardingTimeouts:
                        idleConnTimeout: 90
                        dialTimeout: 10s
                """, "test.yaml");
        ServersTransportConfig.ForwardingTimeouts timeouts = config.http().serversTransports().get("t").forwardingTimeouts();
        assertEquals(Duration.ofSeconds(90), timeouts.idleConnTimeout());
        assertEquals(Duration.ofSeconds(10), timeouts.dialTimeout());
    }
}
