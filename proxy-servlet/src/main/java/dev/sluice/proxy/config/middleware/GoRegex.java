package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.Problems;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Regular expressions and replacement templates written for Go, as Traefik's options are, run on
 * {@code java.util.regex}. Go's named groups {@code (?P<name>…)} are accepted; replacements expand
 * {@code $1}, {@code ${1}}, {@code $name} and {@code $$} exactly as Go's {@code Regexp.Expand}: the
 * name after {@code $} is the longest run of letters, digits and {@code _}, so {@code $1x} means the
 * group named {@code 1x} (which does not exist, hence nothing), and a group that does not exist or
 * did not take part expands to nothing.
 */
public final class GoRegex {
    private GoRegex() {}

    public static Pattern compile(String regex) {
        return Pattern.compile(regex.replace("(?P<", "(?<"));
    }

    /** Reports a missing or invalid expression under {@code key}. */
    public static void check(String key, String regex, Problems problems) {
        if (regex == null || regex.isEmpty()) {
            problems.add(key, "a regular expression is required");
            return;
        }
        try {
            compile(regex);
        } catch (PatternSyntaxException e) {
            problems.add(key, "invalid regular expression \"" + regex + "\": " + e.getDescription()
                    + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
        }
    }

    /**
     * Go's {@code ReplaceAllString}: every non-overlapping match replaced by the expanded template;
     * an empty match right after a match is skipped, as Go does (Java would replace it too).
     */
    public static String replaceAll(Pattern pattern, String input, String template) {
        Matcher m = pattern.matcher(input);
        StringBuilder out = new StringBuilder(input.length() + 16);
        int last = 0;
        boolean matched = false;
        while (m.find()) {
            if (matched && m.start() == m.end() && m.start() == last) {
                continue;
            }
            matched = true;
            out.append(input, last, m.start());
            expand(m, template, out);
            last = m.end();
        }
        return out.append(input, last, input.length()).toString();
    }

    static void expand(Matcher m, String template, StringBuilder out) {
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c != '$') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 < template.length() && template.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
                continue;
            }
            boolean brace = i + 1 < template.length() && template.charAt(i + 1) == '{';
            int start = i + (brace ? 2 : 1);
            int end = start;
            while (end < template.length() && isNameChar(template.charAt(end))) {
                end++;
            }
            boolean closed = !brace || (end < template.length() && template.charAt(end) == '}');
            if (end == start || !closed) {
                out.append('$'); // malformed: Go keeps the '$' as text
                i++;
                continue;
            }
            out.append(group(m, template.substring(start, end)));
            i = brace ? end + 1 : end;
        }
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private static String group(Matcher m, String name) {
        String value;
        if (isNumber(name)) {
            int n = name.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(name);
            value = n <= m.groupCount() ? m.group(n) : null;
        } else {
            try {
                value = m.group(name);
            } catch (IllegalArgumentException noSuchGroup) {
                value = null;
            }
        }
        return value == null ? "" : value;
    }

    /** Digits only and no leading zero, as Go reads a group number; {@code 01} is a name. */
    private static boolean isNumber(String name) {
        if (name.length() > 1 && name.charAt(0) == '0') {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
