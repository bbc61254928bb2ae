package dev.sluice.proxy.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.proxy.config.Durations;
import dev.sluice.proxy.config.middleware.StatusRanges;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * The small value parsers of the configuration on arbitrary text: Go durations ({@code "1m30s"}) and
 * status ranges ({@code "500-599"}) either parse or throw {@link IllegalArgumentException} (which the
 * binder turns into a {@code ConfigException} with the key path). Seeds:
 * {@code src/test/resources/dev/sluice/proxy/fuzz/ValueParsersFuzzTestInputs/}.
 */
// Jazzer also makes this the per-input limit when fuzzing (a slower input is reported as a hang), and
// JUnit applies it to the whole fuzzing run, which lasts maxDuration: hence more than 10 s.
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ValueParsersFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void goDurationsAndStatusRanges(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            Durations.parse(text);
        } catch (IllegalArgumentException expected) {
            // the documented error
        }
        try {
            StatusRanges.parse(List.of(text));
        } catch (IllegalArgumentException expected) {
            // the documented error
        }
    }
}
