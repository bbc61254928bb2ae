package dev.sluice.proxy.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.proxy.config.ConfigException;
import dev.sluice.proxy.config.ConfigLoader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * The configuration loader on arbitrary TOML and YAML: it either loads or throws {@link ConfigException}
 * (the error that names the key path), and returns within the timeout. The first input byte picks the
 * format, the rest is the document. Seeds: {@code src/test/resources/dev/sluice/proxy/fuzz/ConfigLoaderFuzzTestInputs/}.
 */
// Jazzer also makes this the per-input limit when fuzzing (a slower input is reported as a hang), and
// JUnit applies it to the whole fuzzing run, which lasts maxDuration: hence more than 10 s.
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConfigLoaderFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void tomlAndYaml(byte[] input) {
        if (input.length == 0) {
            return;
        }
        String source = (input[0] & 1) == 0 ? "fuzz.toml" : "fuzz.yaml";
        String text = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
        try {
            ConfigLoader.parse(text, source);
        } catch (ConfigException expected) {
            // the documented error
        }
    }
}
