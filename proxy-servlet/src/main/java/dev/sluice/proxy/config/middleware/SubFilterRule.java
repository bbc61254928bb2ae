package dev.sluice.proxy.config.middleware;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One rule of Pingap's {@code sub_filter}, as written in its {@code filters}:
 * {@code sub_filter 'literal' 'replacement' [g][i]} or {@code subs_filter 'regex' 'replacement' [g][i]}.
 * {@code g} replaces every occurrence (else the first only), {@code i} ignores ASCII case. Bodies
 * are matched as bytes: pattern and replacement are turned into their UTF-8 bytes, one char per
 * byte (ISO-8859-1), so non-ASCII text matches as written (but not inside regex character classes).
 *
 * @param pattern compiled over that one-char-per-byte view
 * @param replacement in {@link Matcher#appendReplacement} syntax ({@code $1}, {@code ${name}})
 */
public record SubFilterRule(Pattern pattern, String replacement, boolean regex, boolean global) {
    private static final Pattern SYNTAX = Pattern.compile("(subs_filter|sub_filter)\\s+'([^']+)'\\s+'([^']*)'(?:\\s+([gi]+))?");

    /** Parses one rule; throws IllegalArgumentException with a message fit for a config error. */
    public static SubFilterRule parse(String rule) {
        Matcher m = SYNTAX.matcher(rule == null ? "" : rule.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected sub_filter 'text' 'replacement' [g][i] or subs_filter 'regex' 'replacement' [g][i], got \""
                    + rule + "\"");
        }
        boolean regex = m.group(1).equals("subs_filter");
        String flags = m.group(4) == null ? "" : m.group(4);
        int options = (regex ? 0 : Pattern.LITERAL) | (flags.contains("i") ? Pattern.CASE_INSENSITIVE : 0);
        Pattern pattern;
        try {
            pattern = Pattern.compile(bytes(m.group(2)), options);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("bad regex '" + m.group(2) + "': " + e.getDescription());
        }
        if (pattern.matcher("").find()) {
            throw new IllegalArgumentException("'" + m.group(2) + "' matches empty text");
        }
        String replacement = regex ? bytes(m.group(3)) : Matcher.quoteReplacement(bytes(m.group(3)));
        if (regex) {
            checkReplacement(replacement, pattern.matcher("").groupCount(), m.group(3));
        }
        return new SubFilterRule(pattern, replacement, regex, flags.contains("g"));
    }

    /** What {@link Matcher#appendReplacement} would only report on the first match: bad escapes and group numbers. */
    private static void checkReplacement(String replacement, int groups, String written) {
        for (int i = 0; i < replacement.length(); i++) {
            char c = replacement.charAt(i);
            if (c == '\\' && ++i >= replacement.length()) {
                throw new IllegalArgumentException("bad replacement '" + written + "': ends with a backslash");
            }
            if (c == '$') {
                char next = i + 1 < replacement.length() ? replacement.charAt(i + 1) : ' ';
                if (Character.isDigit(next) && next - '0' > groups) {
                    throw new IllegalArgumentException("bad replacement '" + written + "': no group " + next);
                }
                if (!Character.isDigit(next) && next != '{') {
                    throw new IllegalArgumentException("bad replacement '" + written + "': a $ must name a group ($1, ${name}); write \\$ for a dollar");
                }
            }
        }
    }

    private static String bytes(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }
}
