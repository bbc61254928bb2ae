package dev.sluice.proxy.middleware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.config.middleware.SubFilterRule;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Streaming substitution: the same result whatever the piece boundaries are. */
class SubstitutionTest {
    /** Feeds {@code text} in pieces of {@code size} chars and returns everything let through. */
    private static String run(String rule, String text, int size) {
        Substitution substitution = new Substitution(SubFilterRule.parse(rule));
        String iso = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < iso.length(); i += size) {
            out.append(substitution.feed(iso.substring(i, Math.min(iso.length(), i + size)), false));
        }
        out.append(substitution.feed("", true));
        return new String(out.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    private static void sameForEveryPieceSize(String rule, String text, String expected) {
        for (int size = 1; size <= text.length() + 1; size++) {
            assertEquals(expected, run(rule, text, size), "pieces of " + size);
        }
    }

    @Test
    void literalEverywhereAndOnce() {
        sameForEveryPieceSize("sub_filter 'hello' 'bye' g", "hello world, hello moon, hellhello", "bye world, bye moon, hellbye");
        sameForEveryPieceSize("sub_filter 'hello' 'bye'", "hello world, hello moon", "bye world, hello moon");
        sameForEveryPieceSize("sub_filter 'HELLO' 'bye' gi", "Hello hELLo", "bye bye");
        sameForEveryPieceSize("sub_filter 'x' '' g", "axbxc", "abc");
    }

    @Test
    void regexWithGroupsAcrossPieces() {
        sameForEveryPieceSize("subs_filter '<title>(.*?)</title>' '<title>$1 - Docs</title>' g",
                "<html><title>One</title><p>x</p><title>Two</title>", "<html><title>One - Docs</title><p>x</p><title>Two - Docs</title>");
        sameForEveryPieceSize("subs_filter 'a+' 'A' g", "baaaab aab", "bAb Ab");
        sameForEveryPieceSize("subs_filter 'http://([a-z.]+)' 'https://$1'", "see http://a.example and http://b.example",
                "see https://a.example and http://b.example");
    }

    @Test
    void nonAsciiTextMatchesAsWritten() {
        sameForEveryPieceSize("sub_filter 'café' 'tea' g", "un café, deux cafés", "un tea, deux teas");
    }

    @Test
    void carryOverStaysBounded() {
        Substitution substitution = new Substitution(SubFilterRule.parse("subs_filter 'z+' 'Z' g"));
        String out = substitution.feed("a".repeat(200_000), false);
        assertTrue(out.length() >= 200_000 - Substitution.REGEX_WINDOW, "text that cannot match is let through");
    }

    @Test
    void badRulesAreRejectedWithAReason() {
        assertThrows(IllegalArgumentException.class, () -> SubFilterRule.parse("sub_filter hello bye"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SubFilterRule.parse("subs_filter '(' 'x'"))
                .getMessage().startsWith("bad regex '('"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SubFilterRule.parse("subs_filter 'a*' 'x'"))
                .getMessage().contains("matches empty text"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SubFilterRule.parse("subs_filter '(a)' '$2'"))
                .getMessage().contains("no group 2"));
    }
}
