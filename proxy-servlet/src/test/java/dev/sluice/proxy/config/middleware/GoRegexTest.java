package dev.sluice.proxy.config.middleware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go's ReplaceAllString and Expand, case by case (the expected values are what Go's regexp package returns). */
class GoRegexTest {
    @ParameterizedTest(name = "{0} on {1} with {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "^/foo/(.*)          | /foo/bar       | /baz/$1          | /baz/bar",
        "^/foo/(.*)          | /foo/bar       | /baz/${1}        | /baz/bar",
        "^/foo/(.*)          | /foo/bar       | /baz/$1x         | /baz/",          // $1x names group "1x"
        "^/foo/(.*)          | /foo/bar       | /baz/${1}x       | /baz/barx",
        "^/foo/(.*)          | /foo/bar       | /$2/             | //",             // no group 2: nothing
        "^/foo/(.*)          | /foo/bar       | $$1              | $1",             // $$ is a dollar
        "^/foo/(.*)          | /foo/bar       | a$               | a$",             // trailing $ stays
        "^/foo/(.*)          | /foo/bar       | a${1             | a${1",           // unclosed brace stays
        "^/foo/(.*)          | /foo/bar       | a$-b             | a$-b",           // no name: the $ stays
        "^/foo/(.*)          | /foo/bar       | $01              | \"\"",             // 01 is a name, not a number
        "(?P<first>[a-z]+)/  | ab/cd/         | <${first}>       | <ab><cd>",       // every match replaced
        "(?P<first>[a-z]+)/  | ab/cd/         | <$first>         | <ab><cd>",
        "(?P<first>[a-z]+)/  | ab/cd/         | <$nope>          | <><>",
        "b*                  | abc            | X                | XaXcX",          // empty matches as Go
        "x                   | abc            | y                | abc",
        "x(a)?y              | xy-xay         | [$1]             | []-[a]",         // a group that did not take part is empty
    })
    void replacesAsGoDoes(String regex, String input, String template, String expected) {
        assertEquals(expected, GoRegex.replaceAll(GoRegex.compile(regex.trim()), input.trim(), template.trim()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"/a | true", "/a%2F | true", "/a%2 | false", "/a% | false", "/%zz | false", "/%4a%4B | true"})
    void percentEncoding(String raw, boolean valid) {
        assertEquals(valid, PercentEncoding.isValid(raw.trim()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"(bad", "[a-", "a{2,1}"})
    void invalidExpressionsAreReportedWithTheirKey(String regex) {
        dev.sluice.proxy.config.Problems problems = new dev.sluice.proxy.config.Problems();
        GoRegex.check("k.regex[3]", regex, problems);
        assertFalse(problems.isEmpty());
        assertTrue(problems.messages().get(0).startsWith("k.regex[3]: invalid regular expression \"" + regex + "\": "),
                problems.messages().get(0));
    }
}
