package dev.sluice.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class EntryPointAddressTest {

    @ParameterizedTest(name = "\"{0}\" -> host {1}, port {2}, udp {3}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        ":8080                 | -              | 8080  | false",
        "127.0.0.1:0           | 127.0.0.1      | 0     | false",
        "127.0.0.1:8081        | 127.0.0.1      | 8081  | false",
        "[::1]:8443            | ::1            | 8443  | false",
        "[::]:80               | ::             | 80    | false",
        "[2001:db8::1]:443     | 2001:db8::1    | 443   | false",
        "localhost:9000        | localhost      | 9000  | false",
        "0.0.0.0:80            | 0.0.0.0        | 80    | false",
        ":53/udp               | -              | 53    | true",
        ":80/tcp               | -              | 80    | false",
        "[::1]:53/udp          | ::1            | 53    | true",
        "127.0.0.1:65535/tcp   | 127.0.0.1      | 65535 | false",
        ":0                    | -              | 0     | false",
    })
    void parses(String address, String host, int port, boolean udp) {
        assertEquals(new EntryPointAddress(host, port, udp), EntryPointAddress.parse(address));
    }

    @ParameterizedTest(name = "\"{0}\": {1}")
    @CsvSource(delimiter = '|', value = {
        "8080           | expected host:port or :port",
        "localhost      | expected host:port or :port",
        ":70000         | port must be between 0 and 65535",
        ":65536         | port must be between 0 and 65535",
        ":-1            | port must be between 0 and 65535",
        "::1:80         | write IPv6 hosts in brackets, e.g. [::1]:8080",
        "2001:db8::1:80 | write IPv6 hosts in brackets, e.g. [::1]:8080",
        ":80/sctp       | protocol must be tcp or udp",
        ":80/           | protocol must be tcp or udp",
        ":http          | port must be a number",
        ":              | port must be a number",
        "[::1]:         | port must be a number",
        "127.0.0.1:     | port must be a number",
    })
    void rejects(String address, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EntryPointAddress.parse(address));
        assertEquals("invalid address \"" + address + "\": " + reason, e.getMessage());
    }

    @ParameterizedTest(name = "\"{0}\" is rejected")
    @ValueSource(strings = {"[::1]", "[::1:80", "[::1]80"})
    void rejectsBrokenBrackets(String address) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EntryPointAddress.parse(address));
        assertEquals(true, e.getMessage().startsWith("invalid address \"" + address + "\": "), e.getMessage());
    }

    @ParameterizedTest(name = "\"{0}\" is missing")
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void missing(String address) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EntryPointAddress.parse(address));
        assertEquals("missing address, e.g. \":8080\"", e.getMessage());
    }
}
