package dev.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * The relay's parsers of a connection's first bytes on arbitrary input: a PROXY protocol header (v1
 * text, v2 binary) and a TLS ClientHello (for SNI and ALPN). Neither may throw: each answers "need
 * more", "absent"/"not TLS", "invalid" or a result, on every prefix of the input, within the timeout.
 * Seeds: {@code src/test/resources/dev/sluice/relay/HandshakeParsersFuzzTestInputs/}.
 */
// Jazzer also makes this the per-input limit when fuzzing (a slower input is reported as a hang), and
// JUnit applies it to the whole fuzzing run, which lasts maxDuration: hence more than 10 s.
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HandshakeParsersFuzzTest {

    /** The lengths a parser sees as the bytes trickle in: every one up to 64, then eight steps, then all. */
    private static int[] prefixes(byte[] input) {
        return java.util.stream.IntStream.concat(java.util.stream.IntStream.rangeClosed(0, Math.min(64, input.length)),
                        java.util.stream.IntStream.rangeClosed(1, 8).map(i -> input.length * i / 8))
                .distinct().toArray();
    }

    @FuzzTest(maxDuration = "10s")
    void proxyProtocolHeaders(byte[] input) {
        for (int length : prefixes(input)) {
            ProxyProtocol.Decoded decoded = ProxyProtocol.decode(input, length);
            assertNotNull(decoded);
            if (decoded instanceof ProxyProtocol.Header header) {
                assertTrue(header.length() > 0 && header.length() <= length, "a header lies within the bytes read: " + header);
            }
        }
    }

    @FuzzTest(maxDuration = "10s")
    void clientHellos(byte[] input) {
        for (int length : prefixes(input)) {
            assertNotNull(ClientHello.parse(input, length));
        }
    }
}
