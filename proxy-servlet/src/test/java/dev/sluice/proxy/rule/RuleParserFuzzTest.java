package dev.sluice.proxy.rule;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * The rule parser on arbitrary text: it either compiles or throws {@link RuleSyntaxException}, and
 * returns within the timeout. In a normal build the inputs are the seed corpus
 * ({@code src/test/resources/dev/sluice/proxy/rule/RuleParserFuzzTestInputs/}); {@code JAZZER_FUZZ=1}
 * fuzzes (see SECURITY.md).
 */
// Jazzer also makes this the per-input limit when fuzzing (a slower input is reported as a hang), and
// JUnit applies it to the whole fuzzing run, which lasts maxDuration: hence more than 10 s.
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RuleParserFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void httpAndTcpRules(byte[] input) {
        String rule = new String(input, StandardCharsets.UTF_8);
        try {
            RuleParser.compile(rule);
        } catch (RuleSyntaxException expected) {
            // the documented error
        }
        try {
            RuleParser.parseTcp(rule);
        } catch (RuleSyntaxException expected) {
            // the documented error
        }
        RuleParser.hosts(rule); // never throws: an unreadable rule has no hosts
    }
}
