package dev.sluice.proxy.rule;

/**
 * Splits a rule into tokens on demand. Lazy on purpose: the parser reports the first problem in
 * reading order, so a bad character late in the rule does not hide an earlier grammar error.
 */
final class RuleLexer {
    enum Kind { NAME, STRING, LPAREN, RPAREN, COMMA, AND, OR, NOT, EOF }

    /**
     * One token. {@code text} is the decoded value for STRING and the raw word for NAME.
     * {@code column} is 1-based.
     */
    record Token(Kind kind, String text, int column) {
        /** How the token reads in an error message. */
        String describe() {
            return switch (kind) {
                case NAME -> text;
                case STRING -> "a quoted value";
                case LPAREN -> "'('";
                case RPAREN -> "')'";
                case COMMA -> "','";
                case AND -> "'&&'";
                case OR -> "'||'";
                case NOT -> "'!'";
                case EOF -> "end of rule";
            };
        }
    }

    private final String src;
    private int pos;

    RuleLexer(String src) {
        this.src = src;
    }

    Token next() throws RuleSyntaxException {
        skipWhitespace();
        int start = pos;
        if (pos >= src.length()) {
            return new Token(Kind.EOF, "", start + 1);
        }
        char c = src.charAt(pos);
        switch (c) {
            case '(':
                pos++;
                return new Token(Kind.LPAREN, "(", start + 1);
            case ')':
                pos++;
                return new Token(Kind.RPAREN, ")", start + 1);
            case ',':
                pos++;
                return new Token(Kind.COMMA, ",", start + 1);
            case '!':
                pos++;
                return new Token(Kind.NOT, "!", start + 1);
            case '&':
            case '|':
                return operator(c);
            case '`':
                return rawString();
            case '"':
                return quotedString();
            case '\'':
                throw new RuleSyntaxException(start + 1,
                        "single quotes are not allowed; quote values with backticks (`...`) or double quotes (\"...\")");
            default:
                return word();
        }
    }

    private Token operator(char c) throws RuleSyntaxException {
        int start = pos;
        if (pos + 1 < src.length() && src.charAt(pos + 1) == c) {
            pos += 2;
            return c == '&' ? new Token(Kind.AND, "&&", start + 1) : new Token(Kind.OR, "||", start + 1);
        }
        throw new RuleSyntaxException(start + 1, "unexpected '" + c + "' (did you mean '" + c + c + "'?)");
    }

    /** Backtick literal, Go raw string: no escapes at all. */
    private Token rawString() throws RuleSyntaxException {
        int start = pos;
        int end = src.indexOf('`', start + 1);
        if (end < 0) {
            throw new RuleSyntaxException(start + 1, "unterminated value: missing closing backtick");
        }
        pos = end + 1;
        return new Token(Kind.STRING, src.substring(start + 1, end), start + 1);
    }

    /** Double-quoted literal with the Go escapes people actually use. */
    private Token quotedString() throws RuleSyntaxException {
        int start = pos;
        StringBuilder value = new StringBuilder();
        int i = start + 1;
        while (i < src.length()) {
            char c = src.charAt(i);
            if (c == '"') {
                pos = i + 1;
                return new Token(Kind.STRING, value.toString(), start + 1);
            }
            if (c == '\\') {
                if (i + 1 >= src.length()) {
                    break;
                }
                char e = src.charAt(i + 1);
                switch (e) {
                    case '"' -> value.append('"');
                    case '\\' -> value.append('\\');
                    case 'n' -> value.append('\n');
                    case 't' -> value.append('\t');
                    case 'r' -> value.append('\r');
                    default -> throw new RuleSyntaxException(i + 1, "unsupported escape \\" + e
                            + " in double-quoted value (allowed: \\\" \\\\ \\n \\t \\r; use backticks for raw text)");
                }
                i += 2;
                continue;
            }
            value.append(c);
            i++;
        }
        throw new RuleSyntaxException(start + 1, "unterminated value: missing closing double quote");
    }

    /**
     * A bare word: anything up to whitespace or punctuation. Deliberately broader than an
     * identifier so that an unquoted value like {@code example.com} becomes one token and the
     * parser can say "values must be quoted" instead of complaining about a stray dot.
     */
    private Token word() {
        int start = pos;
        while (pos < src.length() && !isDelimiter(src.charAt(pos))) {
            pos++;
        }
        return new Token(Kind.NAME, src.substring(start, pos), start + 1);
    }

    private static boolean isDelimiter(char c) {
        return isWhitespace(c) || c == '(' || c == ')' || c == ',' || c == '!' || c == '&' || c == '|'
                || c == '`' || c == '"' || c == '\'';
    }

    private void skipWhitespace() {
        while (pos < src.length() && isWhitespace(src.charAt(pos))) {
            pos++;
        }
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }
}
